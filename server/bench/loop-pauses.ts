/**
 * Quick A/B of the two latency figures issue 13.4 names, for two server bundles in the same run (the machine may be
 * busy: compare the ratio, not the numbers): chat p99 at a steady 200 requests/s, and WebSocket broadcast p99 with
 * 1,000 clients. `npx tsx server/bench/loop-pauses.ts --a OLD.mjs --b NEW.mjs [--rounds 2] [--seconds 6]`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chatLoad, pacedChat } from './chat-load';
import { measureBroadcast } from './ws-broadcast';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    clients: { type: 'string' },
  },
});
const rounds = Number(values.rounds ?? 2);
const seconds = Number(values.seconds ?? 6);
const clients = Number(values.clients ?? 1000);

async function start(bundle: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=4', bundle, '--port', '0', '--data-dir', mkdtempSync(join(tmpdir(), 'codette-ab-'))],
    {
      env: { PATH: process.env.PATH ?? '', CODETTE_LOG_LEVEL: 'warn', CODETTE_RATE_LIMIT: '0', HOME: tmpdir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return { child, url };
}

async function measure(bundle: string) {
  const { child, url } = await start(bundle);
  try {
    await chatLoad(url, { seconds: 1, cached: false });
    const chat = await pacedChat(url, 200, seconds);
    // The server's own event-loop delay since its start (the same sequence for both bundles): what blocks the loop,
    // rather than what the kernel's scheduler adds on a busy machine to the client's view.
    const perf = (await (await fetch(`${url}/api/diagnostics/performance`)).json()) as {
      event_loop_delay_ms: { p99: number; max: number };
    };
    const broadcast = await measureBroadcast(url, clients, 30);
    broadcast.close();
    return {
      chat_p99_ms_at_200_rps: chat.p99_ms,
      chat_errors: chat.errors,
      loop_delay_p99_ms: perf.event_loop_delay_ms.p99,
      loop_delay_max_ms: perf.event_loop_delay_ms.max,
      ws_broadcast_p99_ms: broadcast.result.p99_ms,
    };
  } finally {
    child.kill('SIGKILL');
  }
}

const rows: Array<{ bundle: string; round: number } & Awaited<ReturnType<typeof measure>>> = [];
for (let round = 1; round <= rounds; round++) {
  for (const [name, bundle] of [
    ['a', values.a!],
    ['b', values.b!],
  ] as const)
    rows.push({ bundle: name, round, ...(await measure(bundle)) });
}
console.table(rows);
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
for (const key of [
  'chat_p99_ms_at_200_rps',
  'loop_delay_p99_ms',
  'loop_delay_max_ms',
  'ws_broadcast_p99_ms',
] as const) {
  const a = median(rows.filter((r) => r.bundle === 'a').map((r) => r[key]));
  const b = median(rows.filter((r) => r.bundle === 'b').map((r) => r[key]));
  console.log(`${key}: a ${a} ms, b ${b} ms, b/a ${(b / a).toFixed(2)}`);
}
process.exit(0);
