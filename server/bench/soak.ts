// Over 400 lines: one soak script; its load generators share the counters and the report it prints.
/**
 * Soak run (not in CI): the built server under mixed load for N minutes; memory must stay flat and nothing may fail.
 *
 *   npx tsx server/bench/soak.ts --minutes 30 [--max-slope 1] [--warmup 6] [--sample-seconds 10] [--out soak.json]
 *
 * Load, all at once: REST chat (repeated and unique questions, follow-ups in sessions, SSE), transport commands over
 * REST (with Idempotency-Key) and the /transport/{action} aliases, 20 WebSocket clients (ticks while playing, pings,
 * transport commands and chat with ids, one client replaced every 5 s), health/status/diagnostics/history polling,
 * feedback, small uploads, and a share of deliberately bad requests (which must get their 4xx).
 *
 * Every 10 s it samples the server's RSS (from /proc) and its heap (from /api/diagnostics/performance). It fails
 * (exit 1) on any unexpected answer, transport error, WebSocket error or unexpected close, any error line the server
 * logs, or when RSS after the warm-up grows faster than --max-slope MB per minute (least squares).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { PROJECT_ROOT } from '../paths';
import { startCodette } from './processes';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    'max-slope': { type: 'string' },
    warmup: { type: 'string' },
    'sample-seconds': { type: 'string' },
    out: { type: 'string' },
  },
});
const minutes = Number(values.minutes ?? 30);
const maxSlope = Number(values['max-slope'] ?? 1);
// The warm-up covers the answer cache filling up: entries live CODETTE_CACHE_TTL (300 s) and a third of the chat
// questions here are unique, so memory climbs for the first 5 minutes and levels off after (measured: 10-min run).
const warmupMinutes = Number(values.warmup ?? Math.min(6, minutes / 3));
const sampleMs = Number(values['sample-seconds'] ?? 10) * 1000;
const endAt = Date.now() + minutes * 60_000;

execFileSync(process.execPath, ['server/scripts/build.mjs'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
// Log level warn: the server's own warnings and errors show; per-request info lines would only measure the pipe.
const server = await startCodette({ CODETTE_LOG_LEVEL: 'warn', CODETTE_WS_IDLE_TIMEOUT: '10' });
const base = server.url;
const startedAt = Date.now();

const counts: Record<string, number> = {};
const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
const errors: string[] = [];
const fail = (what: string) => {
  if (errors.length < 50) errors.push(`${new Date().toISOString()} ${what}`);
  count('errors');
};
const serverLog: string[] = [];
for (const stream of [server.process.stdout!, server.process.stderr!]) {
  stream.on('data', (d: Buffer) => {
    for (const line of String(d).split('\n').filter(Boolean)) {
      serverLog.push(line);
      if (/"level":"error"/.test(line) || !line.startsWith('{')) fail(`server logged: ${line.slice(0, 300)}`);
    }
  });
}
server.process.on('exit', (code, signal) => {
  if (!stopping) fail(`server exited (${code ?? signal})`);
});
let stopping = false;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const QUESTIONS = [
  'how do I compress a lead vocal',
  'my kick and bass are clashing',
  'the mix sounds muddy around 300 hz',
  'what reverb for a snare',
  'how loud should I master for spotify',
  'delay time for 128 bpm',
  'what key is relative to A minor',
  'how to make the hi hats less harsh',
];

/** One request; `expect` lists the acceptable statuses. Returns the JSON body when there is one. */
async function call(name: string, path: string, init: RequestInit & { expect?: number[] } = {}): Promise<unknown> {
  const expect = init.expect ?? [200];
  try {
    const res = await fetch(base + path, init);
    const text = await res.text();
    count(`${name} ${res.status}`);
    if (!expect.includes(res.status)) {
      fail(`${name}: ${init.method ?? 'GET'} ${path} -> ${res.status} ${text.slice(0, 200)}`);
      return undefined;
    }
    if (text.includes('internal_error')) fail(`${name}: internal_error in ${text.slice(0, 200)}`);
    return (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  } catch (error) {
    if (!stopping) fail(`${name}: ${path} -> ${(error as Error).message}`);
    return undefined;
  }
}
const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Runs `step` every `everyMs` until the end. */
async function loop(everyMs: number, step: (i: number) => Promise<void>) {
  for (let i = 0; Date.now() < endAt && !stopping; i++) {
    const t = Date.now();
    await step(i);
    await sleep(Math.max(0, everyMs - (Date.now() - t)));
  }
}

const messageIds: string[] = [];
const sessions: string[] = [];

const restChat = (lane: number) =>
  loop(120, async (i) => {
    const q = pick(QUESTIONS);
    const unique = i % 3 === 0;
    const session = i % 4 === 0 && sessions.length ? pick(sessions) : undefined;
    const message = unique ? `${q} (take ${lane}-${i})` : i % 5 === 0 && session ? 'and on vocals?' : q;
    if (i % 7 === 0) {
      const text = (await call('chat sse', '/codette/chat', {
        ...post({ message }),
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      })) as string | undefined;
      if (text !== undefined && !text.includes('event: reply')) fail(`chat sse without a reply: ${text.slice(0, 200)}`);
      return;
    }
    const reply = (await call(
      'chat',
      '/codette/chat',
      post(
        { message, ...(session ? { session_id: session } : {}) },
        i % 2 ? { 'idempotency-key': `soak-${lane}-${i}` } : {},
      ),
    )) as { session_id: string; message_id: string } | undefined;
    if (reply) {
      if (sessions.length < 200 && !session) sessions.push(reply.session_id);
      messageIds.push(reply.message_id);
      if (messageIds.length > 500) messageIds.shift();
    }
  });

const transportRest = () =>
  loop(150, async (i) => {
    const commands = [
      { action: 'play' },
      { action: 'stop' },
      { action: 'tempo', bpm: 60 + (i % 120) },
      { action: 'seek', bar: 1 + (i % 32) },
      { action: 'loop', enabled: i % 2 === 0, start_seconds: 0, end_seconds: 8 },
      { action: 'metronome', enabled: i % 2 === 1 },
    ];
    const c = commands[i % commands.length]!;
    if (i % 3 === 0) {
      const { action, ...rest } = c;
      await call('transport alias', `/transport/${action}`, post(rest));
    } else await call('transport', '/codette/transport', post(c, i % 2 ? { 'idempotency-key': `t-${i}` } : {}));
  });

const polling = () =>
  loop(250, async (i) => {
    const paths = [
      '/health',
      '/codette/status',
      '/transport/status',
      '/api/diagnostics/performance',
      '/codette/sessions',
      '/api/cache-stats',
      '/codette/files',
    ];
    await call('poll', paths[i % paths.length]!);
    if (i % 10 === 0 && sessions.length) await call('history', `/codette/sessions/${pick(sessions)}/messages`);
    if (i % 40 === 0) await call('status', '/api/diagnostics/status');
  });

const writesAndMistakes = () =>
  loop(400, async (i) => {
    if (i % 4 === 0 && messageIds.length)
      await call(
        'feedback',
        '/codette/feedback',
        post({ message_id: pick(messageIds), rating: i % 8 ? 'up' : 'down', client_id: `fb-${i}` }),
      );
    if (i % 12 === 0)
      await call('upload', `/codette/files?name=idea-${i}.txt`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: `idea ${i}: double the chorus`,
      });
    if (i % 3 === 0) await call('bad body', '/codette/transport', { ...post({ action: 'warp' }), expect: [400] });
    if (i % 5 === 0)
      await call('bad json', '/codette/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"message":',
        expect: [400],
      });
    if (i % 7 === 0) await call('not found', `/codette/sessions/${crypto.randomUUID()}/messages`, { expect: [404] });
    if (i % 11 === 0)
      await call(
        'suggest',
        '/codette/suggest',
        post({ context: { track_type: pick(['vocal', 'kick', 'bass']), stage: 'mixing' } }),
      );
  });

/** A WebSocket client for `lifeMs`, then it closes and the caller opens another. */
function wsClient(lifeMs: number, n: number): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(base.replace(/^http/, 'ws') + '/ws');
    const pending = new Map<string, number>();
    let seq = 0;
    let timer: NodeJS.Timeout | undefined;
    let closingOnPurpose = false;
    const send = (m: Record<string, unknown>) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const id = `c${n}-${++seq}`;
      pending.set(id, Date.now());
      ws.send(JSON.stringify({ ...m, id }));
    };
    ws.on('open', () => {
      count('ws open');
      ws.send(JSON.stringify({ type: 'subscribe', topics: ['transport', 'status'] }));
      let tick = 0;
      timer = setInterval(() => {
        tick += 1;
        send({ type: 'ping' });
        if (tick % 5 === 0)
          send({
            type: 'transport',
            command: pick([{ action: 'play' }, { action: 'stop' }, { action: 'tempo', bpm: 90 + (tick % 60) }]),
          });
        if (tick % 10 === n % 10) send({ type: 'chat', request: { message: pick(QUESTIONS) } });
        for (const [id, at] of pending) {
          if (Date.now() - at <= 15_000) continue;
          fail(`ws ${id}: no answer within 15 s`);
          pending.delete(id);
        }
      }, 1000);
      setTimeout(() => {
        closingOnPurpose = true;
        ws.close(1000);
      }, lifeMs);
    });
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; id?: string; error?: { code: string; message: string } };
      count(`ws ${m.type}`);
      if (m.type === 'error') fail(`ws error: ${JSON.stringify(m).slice(0, 200)}`);
      if ((m.type === 'pong' || m.type === 'ack') && m.id) pending.delete(m.id);
    });
    ws.on('error', (e) => {
      if (!stopping) fail(`ws client error: ${e.message}`);
    });
    ws.on('close', (code) => {
      clearInterval(timer);
      if (!closingOnPurpose && !stopping) fail(`ws closed unexpectedly: ${code}`);
      resolve();
    });
  });
}

const wsLane = async (lane: number) => {
  for (let life = 0; Date.now() < endAt && !stopping; life++) {
    // Lives of 60 to 120 s across 20 lanes: about one client replaced every 5 s.
    const lifeMs = Math.min(endAt - Date.now(), 60_000 + ((lane * 7919 + life * 104729) % 60_000));
    if (lifeMs < 1000) break;
    await wsClient(lifeMs, lane * 1000 + life);
  }
};

interface Sample {
  t_min: number;
  rss_mb: number;
  /** RSS split as /proc/<pid>/status reports it: anonymous (heap, native allocations), file-backed, shared memory. */
  rss_anon_mb: number;
  rss_file_mb: number;
  rss_shmem_mb: number;
  heap_used_mb: number | null;
  /** V8's reserved heap and memory held by buffers outside it (from the performance route). */
  heap_total_mb: number | null;
  external_mb: number | null;
  db_mb: number;
  requests: number;
}

function rssParts(pid: number): { anon: number; file: number; shmem: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
}
/** The server's data directory, from its command line (`--data-dir DIR`). */
const dataDir = (() => {
  const args = readFileSync(`/proc/${server.process.pid}/cmdline`, 'utf8').split('\0');
  const i = args.indexOf('--data-dir');
  return i >= 0 ? args[i + 1] : undefined;
})();
function dbMb(): number {
  if (!dataDir) return NaN;
  let total = 0;
  for (const f of ['codette.db', 'codette.db-wal', 'codette.db-shm']) {
    try {
      total += statSync(join(dataDir, f)).size;
    } catch {
      /* not there */
    }
  }
  return total / 1048576;
}
const samples: Sample[] = [];
const sampler = async () => {
  while (Date.now() < endAt && !stopping) {
    const perf = (await call('perf sample', '/api/diagnostics/performance')) as
      { memory?: { heap_used_mb?: number; heap_total_mb?: number; external_mb?: number } } | undefined;
    const heap = perf?.memory?.heap_used_mb ?? null;
    const parts = rssParts(server.process.pid!);
    const r1 = (v: number) => Math.round(v * 10) / 10;
    const s: Sample = {
      t_min: Math.round(((Date.now() - startedAt) / 60_000) * 100) / 100,
      rss_mb: r1(server.rssMb()),
      rss_anon_mb: r1(parts.anon),
      rss_file_mb: r1(parts.file),
      rss_shmem_mb: r1(parts.shmem),
      heap_used_mb: heap === null ? null : r1(heap),
      heap_total_mb: perf?.memory?.heap_total_mb === undefined ? null : r1(perf.memory.heap_total_mb),
      external_mb: perf?.memory?.external_mb === undefined ? null : r1(perf.memory.external_mb),
      db_mb: r1(dbMb()),
      requests: Object.entries(counts)
        .filter(([k]) => /\d{3}$/.test(k))
        .reduce((a, [, v]) => a + v, 0),
    };
    samples.push(s);
    console.log(
      `t=${s.t_min.toFixed(2)} min  rss=${s.rss_mb} MB (anon ${s.rss_anon_mb}, file ${s.rss_file_mb}, shmem ${s.rss_shmem_mb})  heap=${s.heap_used_mb ?? '?'}/${s.heap_total_mb ?? '?'} MB  external=${s.external_mb ?? '?'} MB  db=${s.db_mb} MB  requests=${s.requests}  errors=${counts.errors ?? 0}`,
    );
    await sleep(sampleMs);
  }
};

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

console.log(`soak: ${minutes} min against ${base} (warm-up ${warmupMinutes} min, max RSS slope ${maxSlope} MB/min)`);
await Promise.all([
  sampler(),
  restChat(1),
  restChat(2),
  transportRest(),
  polling(),
  writesAndMistakes(),
  ...Array.from({ length: 20 }, (_, i) => wsLane(i)),
]);
stopping = true;
const health = await fetch(`${base}/health`)
  .then((r) => r.status)
  .catch(() => 0);
await server.stop();

const steady = samples.filter((s) => s.t_min >= warmupMinutes);
const rssSlope = slope(steady.map((s) => ({ x: s.t_min, y: s.rss_mb })));
const anonSlope = slope(steady.map((s) => ({ x: s.t_min, y: s.rss_anon_mb })));
const dbSlope = slope(steady.map((s) => ({ x: s.t_min, y: s.db_mb })));
const heapSlope = slope(steady.filter((s) => s.heap_used_mb !== null).map((s) => ({ x: s.t_min, y: s.heap_used_mb! })));
const summary = {
  minutes,
  requests: samples.at(-1)?.requests ?? 0,
  websocket_messages_received: Object.entries(counts)
    .filter(([k]) => k.startsWith('ws ') && k !== 'ws open')
    .reduce((a, [, v]) => a + v, 0),
  websocket_connections: counts['ws open'] ?? 0,
  errors: counts.errors ?? 0,
  health_at_end: health,
  rss_mb: {
    first: samples[0]?.rss_mb,
    after_warmup: steady[0]?.rss_mb,
    last: samples.at(-1)?.rss_mb,
    max: Math.max(...samples.map((s) => s.rss_mb)),
  },
  rss_slope_mb_per_min_after_warmup: Math.round(rssSlope * 1000) / 1000,
  rss_anon_slope_mb_per_min_after_warmup: Math.round(anonSlope * 1000) / 1000,
  db_files_slope_mb_per_min_after_warmup: Math.round(dbSlope * 1000) / 1000,
  rss_anon_mb: { after_warmup: steady[0]?.rss_anon_mb, last: samples.at(-1)?.rss_anon_mb },
  rss_file_mb: { after_warmup: steady[0]?.rss_file_mb, last: samples.at(-1)?.rss_file_mb },
  rss_shmem_mb: { after_warmup: steady[0]?.rss_shmem_mb, last: samples.at(-1)?.rss_shmem_mb },
  heap_slope_mb_per_min_after_warmup: Math.round(heapSlope * 1000) / 1000,
  statuses: Object.fromEntries(Object.entries(counts).filter(([k]) => /\d{3}$/.test(k))),
};
console.log(JSON.stringify(summary, null, 2));
if (errors.length) console.log(`errors:\n  ${errors.join('\n  ')}`);
if (values.out) writeFileSync(values.out, JSON.stringify({ summary, samples, errors }, null, 2));
const ok = errors.length === 0 && health === 200 && steady.length >= 2 && rssSlope <= maxSlope;
console.log(
  ok
    ? 'soak: PASS'
    : `soak: FAIL${rssSlope > maxSlope ? ` (RSS grows ${rssSlope.toFixed(2)} MB/min > ${maxSlope})` : ''}${steady.length < 2 ? ' (too few samples after warm-up)' : ''}`,
);
process.exit(ok ? 0 : 1);
