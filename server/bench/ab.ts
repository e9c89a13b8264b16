/**
 * A/B of two server bundles on the hot paths, in one run and interleaved (a busy machine slows both alike: read the
 * ratios): GET /health against bare node:http, uncached chat throughput at 8 clients, and chat p99 at a steady
 * 200 requests/s. Build the old bundle first, keep a copy beside the new one (packages resolve from its folder):
 *
 *   node server/scripts/build.mjs && cp .output/server/cli.mjs .output/server/base.mjs
 *   (change the code) node server/scripts/build.mjs
 *   npx tsx server/bench/ab.ts --a .output/server/base.mjs --b .output/server/cli.mjs [--rounds 3] [--seconds 5]
 */
import { parseArgs } from 'node:util';
import { startBare, startCodette, type Child } from './processes';
import { load } from './http-load';
import { chatLoad, pacedChat } from './chat-load';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    only: { type: 'string' },
  },
});
if (!values.a || !values.b) throw new Error('usage: ab.ts --a OLD.mjs --b NEW.mjs [--rounds N] [--seconds S]');
const rounds = Number(values.rounds ?? 3);
const seconds = Number(values.seconds ?? 5);
const only = values.only;

interface Row {
  bundle: 'a' | 'b';
  round: number;
  health_vs_bare?: number;
  /** Bare node:http's CPU time per request over Codette's (the bench's health_vs_bare_cpu_ratio). */
  health_vs_bare_cpu?: number;
  chat_rps_8?: number;
  /** The server's CPU time per uncached chat request at 8 clients. */
  chat_cpu_us_per_req?: number;
  chat_p99_ms_at_200_rps?: number;
}

/** CPU time the process spent per request while `url` was loaded (steadier than throughput on a busy machine). */
async function cpuPerRequest(child: Child, url: string): Promise<{ rps: number; cpuUs: number }> {
  const cpu = child.cpuSeconds();
  const r = await load(url, { seconds });
  return { rps: r.rps, cpuUs: ((child.cpuSeconds() - cpu) / (r.rps * seconds)) * 1e6 };
}

/** Bare, then the server, then bare again: ratios against the mean of both sides of it. */
async function health(bare: Child, server: Child): Promise<Pick<Row, 'health_vs_bare' | 'health_vs_bare_cpu'>> {
  const before = await cpuPerRequest(bare, `${bare.url}/health`);
  const h = await cpuPerRequest(server, `${server.url}/health`);
  const after = await cpuPerRequest(bare, `${bare.url}/health`);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    health_vs_bare: r3(h.rps / ((before.rps + after.rps) / 2)),
    health_vs_bare_cpu: r3((before.cpuUs + after.cpuUs) / 2 / h.cpuUs),
  };
}

const rows: Row[] = [];
const bare = await startBare();
try {
  await load(`${bare.url}/health`, { seconds: 1 });
  for (let round = 1; round <= rounds; round++) {
    // Alternate which bundle goes first, so that a trend in the machine's load favours neither.
    const order = round % 2 ? (['a', 'b'] as const) : (['b', 'a'] as const);
    for (const name of order) {
      const server = await startCodette({}, [], values[name]);
      try {
        const row: Row = { bundle: name, round };
        if (!only || only === 'health') {
          await load(`${server.url}/health`, { seconds: 1 });
          Object.assign(row, await health(bare, server));
        }
        if (!only || only === 'chat') {
          await chatLoad(server.url, { seconds: 1, cached: false });
          row.chat_p99_ms_at_200_rps = (await pacedChat(server.url, 200, seconds)).p99_ms;
          const cpu = server.cpuSeconds();
          const chat = await chatLoad(server.url, { seconds, cached: false, connections: 8 });
          row.chat_rps_8 = chat.rps;
          row.chat_cpu_us_per_req = Math.round(((server.cpuSeconds() - cpu) / (chat.rps * seconds)) * 1e6);
        }
        rows.push(row);
      } finally {
        await server.stop();
      }
    }
  }
} finally {
  await bare.stop();
}
console.table(rows);
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? NaN;
for (const key of [
  'health_vs_bare',
  'health_vs_bare_cpu',
  'chat_rps_8',
  'chat_cpu_us_per_req',
  'chat_p99_ms_at_200_rps',
] as const) {
  const of = (bundle: 'a' | 'b') =>
    median(rows.filter((r) => r.bundle === bundle && r[key] !== undefined).map((r) => r[key]!));
  const a = of('a');
  const b = of('b');
  if (!Number.isNaN(a)) console.log(`${key}: a ${a}, b ${b}, b/a ${(b / a).toFixed(2)} (medians of ${rounds})`);
}
