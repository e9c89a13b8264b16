// Over 400 lines: a table of attacks run through one attack() harness; the table is meant to be read in one place.
/**
 * `npm run redteam`: replays the attacks of issue 13 against the built server (an ephemeral port on 127.0.0.1, a
 * temporary data directory) and prints one row per attack: requests sent, 5xx answers, crashes, data lost, the
 * server's peak RSS, and whether the goal was met. Exits 1 if any goal is missed. Loopback only, about 2 minutes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { PROJECT_ROOT } from '../paths';
import { holdWriteLock } from '../bench/attacks/db-lock';
import { asMultipart, bigWav, postParts } from '../bench/attacks/uploads';
import { clientFrame, floodWithoutReading, openRawWebSocket, watchRss } from '../bench/attacks/ws-raw';

const MB = 1024 * 1024;
const started = Date.now();

interface Row {
  attack: string;
  requests: number;
  '5xx': number;
  crashes: number;
  'data lost': number;
  'peak RSS MB': number;
  goal: string;
  met: boolean;
}

execFileSync(process.execPath, ['server/scripts/build.mjs'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
const dataDir = mkdtempSync(join(tmpdir(), 'codette-redteam-'));
const server: ChildProcess = spawn(
  process.execPath,
  ['--max-semi-space-size=4', '.output/server/cli.mjs', '--port', '0', '--data-dir', dataDir],
  {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), CODETTE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let exited = false;
server.on('exit', () => (exited = true));
let out = '';
server.stderr!.on('data', (d) => (out += d));
const url = await new Promise<string>((resolve, reject) => {
  server.stdout!.on('data', (d) => {
    out += d;
    const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
    if (m) resolve(m[1]!);
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
});
const port = Number(new URL(url).port);
const pid = server.pid!;

/** A request through node:http: no fetch metadata added, like curl (undici's fetch adds Sec-Fetch-Mode). */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const JSON_TYPE = { 'content-type': 'application/json' };

async function attack(
  name: string,
  goal: string,
  run: () => Promise<{ requests: number; fivexx: number; lost: number; met: boolean; rssGoalMb?: number }>,
): Promise<Row> {
  const rss = watchRss(pid, 25);
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run();
  } catch (error) {
    result = { requests: 0, fivexx: 0, lost: 0, met: false };
    console.error(`${name}: ${(error as Error).message}`);
  }
  const peak = Math.round(await rss.stop());
  // Alive: the process is there and answers (a 429 after a flood is an answer).
  const alive =
    !exited &&
    (await send('GET', '/health', { host: `127.0.0.1:${port}` }).then(
      (r) => r.status < 500,
      () => false,
    ));
  const met =
    result.met &&
    alive &&
    result.fivexx === 0 &&
    result.lost === 0 &&
    (result.rssGoalMb === undefined || peak < result.rssGoalMb);
  return {
    attack: name,
    requests: result.requests,
    '5xx': result.fivexx,
    crashes: alive ? 0 : 1,
    'data lost': result.lost,
    'peak RSS MB': peak,
    goal,
    met,
  };
}

const host = { host: `127.0.0.1:${port}` };
const rows: Row[] = [];

rows.push(
  await attack('Host/Origin variants', 'foreign Host/Origin refused, own allowed', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ host: `attacker.example:${port}` }, 403],
      [{ host: `localhost:${port}.evil.example` }, 403],
      [{ ...host, origin: 'https://evil.example' }, 403],
      [{ ...host, origin: 'null' }, 403],
      [{ ...host, origin: `http://127.0.0.1:${port + 1}` }, 403],
      [{ ...host, origin: `http://localhost:${port}` }, 403],
      [{ ...host, origin: 'file://' }, 403],
      [{ ...host, origin: `http://127.0.0.1:${port}` }, 200],
      [{ host: `localhost:${port}` }, 200],
    ];
    let fivexx = 0;
    let wrong = 0;
    for (const [headers, expected] of cases) {
      const r = await send('POST', '/codette/transport', { ...headers, ...JSON_TYPE }, '{"action":"stop"}');
      if (r.status >= 500) fivexx++;
      if (r.status !== expected) wrong++;
    }
    return { requests: cases.length, fivexx, lost: 0, met: wrong === 0 };
  }),
);

rows.push(
  await attack('[::1] origin', 'refused: read, write and WebSocket', async () => {
    const origin = `http://[::1]:${port}`;
    const read = await send('GET', '/codette/export', { ...host, origin });
    const write = await send('POST', '/codette/transport', { ...host, origin, ...JSON_TYPE }, '{"action":"play"}');
    const ws = await new Promise<boolean>((resolve) => {
      const s = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin });
      s.on('open', () => resolve(true));
      s.on('error', () => resolve(false));
    });
    const fivexx = [read, write].filter((r) => r.status >= 500).length;
    return {
      requests: 3,
      fivexx,
      lost: 0,
      met: read.headers['access-control-allow-origin'] === undefined && write.status === 403 && !ws,
    };
  }),
);

rows.push(
  await attack('unknown extension id', 'the first extension is paired, another refused', async () => {
    const first = await send(
      'POST',
      '/codette/transport',
      { ...host, origin: 'chrome-extension://redteamfirstextension', ...JSON_TYPE },
      '{"action":"stop"}',
    );
    const other = await send(
      'POST',
      '/codette/transport',
      { ...host, origin: 'chrome-extension://nopermissionsextension', ...JSON_TYPE },
      '{"action":"record"}',
    );
    const read = await send('GET', '/codette/export', { ...host, origin: 'chrome-extension://nopermissionsextension' });
    return {
      requests: 3,
      fivexx: [first, other, read].filter((r) => r.status >= 500).length,
      lost: 0,
      met: first.status === 200 && other.status === 403 && read.headers['access-control-allow-origin'] === undefined,
    };
  }),
);

rows.push(
  await attack('chat-id race (5 copies)', 'stored once, one duplicate:false', async () => {
    const key = `redteam-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        send(
          'POST',
          '/codette/chat',
          { ...host, ...JSON_TYPE, 'idempotency-key': key },
          '{"message":"how do I glue a drum bus?"}',
        ),
      ),
    );
    const ids = new Set(
      answers.filter((a) => a.status === 200).map((a) => (JSON.parse(a.text) as { message_id: string }).message_id),
    );
    const wsId = `redteam-ws-${Date.now()}`;
    const sockets = await Promise.all(
      Array.from(
        { length: 5 },
        () =>
          new Promise<WebSocket>((resolve) => {
            const s = new WebSocket(`ws://127.0.0.1:${port}/ws`);
            s.on('open', () => resolve(s));
          }),
      ),
    );
    const acks = await Promise.all(
      sockets.map(
        (s) =>
          new Promise<boolean>((resolve) => {
            s.on('message', (d) => {
              const m = JSON.parse(String(d)) as { type: string; id?: string; duplicate?: boolean };
              if (m.type === 'ack' && m.id === wsId) resolve(m.duplicate!);
            });
            s.send(
              JSON.stringify({ type: 'chat', id: wsId, request: { message: 'what ratio for a vocal compressor?' } }),
            );
          }),
      ),
    );
    for (const s of sockets) s.close();
    const fresh = acks.filter((d) => !d).length;
    return {
      requests: 10,
      fivexx: answers.filter((a) => a.status >= 500).length,
      lost: ids.size === 1 ? 0 : Math.abs(ids.size - 1),
      met: ids.size === 1 && fresh === 1,
    };
  }),
);

rows.push(
  await attack('img flood vs native', '20/20 native requests answered', async () => {
    const img = {
      ...host,
      'user-agent': 'Mozilla/5.0 Chrome/156',
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'no-cors',
      'sec-fetch-dest': 'image',
    };
    const flood = Promise.all(Array.from({ length: 300 }, () => send('GET', '/codette/status', img)));
    const native: number[] = [];
    for (let i = 0; i < 20; i++)
      native.push((await send('GET', '/codette/status', { ...host, 'user-agent': 'curl/8.5.0' })).status);
    const images = await flood;
    return {
      requests: 320,
      fivexx: [...images.map((r) => r.status), ...native].filter((s) => s >= 500).length,
      lost: 0,
      met: native.every((s) => s === 200),
    };
  }),
);

const filesDir = join(dataDir, 'files');
const filesOnDisk = () => (existsSync(filesDir) ? readdirSync(filesDir).length : 0);

rows.push(
  await attack(
    'WAV tricks',
    'fmt after data / 1.5 MiB metadata / 0 channels: decided from headers, nothing kept',
    async () => {
      const before = filesOnDisk();
      const long = bigWav(20 * MB, { fmtAfterData: true, channels: 1, rate: 8000 }); // 21 minutes
      const a = await postParts(`${url}/api/analyze/audio`, long.parts, 'audio/wav');
      const meta = bigWav(48000 * 4 * 2, { channels: 2, rate: 48000 }); // 2 s
      const [riff, fmt, ...rest] = meta.parts as [Buffer, Buffer, ...Array<Buffer | { zeros: number }>];
      const tag = Buffer.alloc(8);
      tag.write('iXML', 0, 'latin1');
      tag.writeUInt32LE(1.5 * MB, 4);
      const riffBig = Buffer.from(riff);
      riffBig.writeUInt32LE(riff.readUInt32LE(4) + 8 + 1.5 * MB, 4);
      const b = await postParts(
        `${url}/api/analyze/audio`,
        [riffBig, tag, { zeros: 1.5 * MB }, fmt, ...rest],
        'audio/wav',
      );
      const broken = Buffer.from(riff);
      const c = await postParts(
        `${url}/api/analyze/audio`,
        [broken, Buffer.from('data\x10\x00\x00\x00'), { zeros: 16 }],
        'audio/wav',
      );
      const kept = filesOnDisk() - before;
      return {
        requests: 3,
        fivexx: [a, b, c].filter((r) => r.status >= 500).length,
        lost: 0,
        met: a.status === 413 && a.code === 'audio_too_long' && b.status === 200 && c.status === 422 && kept === 1,
      };
    },
  ),
);

rows.push(
  await attack('big multipart upload (190 MB)', 'streamed: peak RSS < 300 MB, refused file not kept', async () => {
    const before = filesOnDisk();
    const form = asMultipart(bigWav(190 * MB));
    const r = await postParts(`${url}/api/analyze/audio`, form.parts, form.contentType);
    return {
      requests: 1,
      fivexx: r.status >= 500 ? 1 : 0,
      lost: 0,
      met: r.status === 413 && filesOnDisk() === before,
      rssGoalMb: 300,
    };
  }),
);

rows.push(
  await attack('orphan uploads (5 x 20 MB, unknown session)', '404, no file left', async () => {
    const before = filesOnDisk();
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const wav = bigWav(20 * MB, { channels: 1, rate: 48000 });
      answers.push(
        await postParts(
          `${url}/codette/files?name=a.wav&session_id=00000000-0000-4000-8000-00000000000${i}`,
          wav.parts,
          'audio/wav',
        ),
      );
    }
    const left = filesOnDisk() - before;
    return {
      requests: 5,
      fivexx: answers.filter((a) => a.status >= 500).length,
      lost: 0,
      met: answers.every((a) => a.status === 404) && left === 0,
    };
  }),
);

rows.push(
  await attack('locked database (3 s)', '/health median < 50 ms, says locked; chat stored after', async () => {
    const holder = await holdWriteLock(join(dataDir, 'codette.db'));
    const chat = send('POST', '/codette/chat', { ...host, ...JSON_TYPE }, '{"message":"how do I tame harsh cymbals?"}');
    const times: number[] = [];
    let said = false;
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const t = performance.now();
      const r = await send('GET', '/health', host);
      times.push(performance.now() - t);
      said ||= r.text.includes('database locked');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await holder.release();
    const answer = await chat;
    times.sort((x, y) => x - y);
    const median = times[Math.floor(times.length / 2)]!;
    return {
      requests: times.length + 1,
      fivexx: answer.status >= 500 ? 1 : 0,
      lost: answer.status === 200 ? 0 : 1,
      met: said && median < 50,
    };
  }),
);

rows.push(
  await attack(
    'malformed WebSocket frames (11 kinds)',
    'each connection closed, server and others unaffected',
    async () => {
      const payload = Buffer.from('{"type":"ping"}');
      const unmasked = Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
      const kinds: Buffer[] = [
        unmasked, // a client frame without mask
        Buffer.from([0x83, 0x80, 1, 2, 3, 4]), // reserved opcode 3
        (() => {
          const f = clientFrame(payload);
          f[0] = 0xf1;
          return f;
        })(), // RSV bits set
        clientFrame(Buffer.alloc(10), 0x9).fill(0x09, 0, 1), // ping frame not FIN
        Buffer.from([0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]), // 2^63 length
        clientFrame(Buffer.from([0xc3, 0x28, 0xa0, 0xa1])), // invalid UTF-8 text
        clientFrame(payload).subarray(0, 5), // truncated then closed
        clientFrame(Buffer.from([1, 2, 3]), 0x2), // binary
        clientFrame(Buffer.from([0x03, 0xe7]), 0x8), // close with code 999
        clientFrame(payload, 0x0), // continuation without a start
        clientFrame(Buffer.alloc(200), 0x9), // ping over 125 bytes
      ];
      const observer = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      await new Promise((r) => observer.on('open', r));
      let pongs = 0;
      observer.on('message', (d) => String(d).includes('"pong"') && pongs++);
      for (const frame of kinds) {
        const raw = await openRawWebSocket(url, { read: true });
        raw.socket.write(frame);
        if (frame.length === 5) raw.socket.end();
        await Promise.race([raw.closed, new Promise((r) => setTimeout(r, 1500))]);
        raw.socket.destroy();
        observer.send(JSON.stringify({ type: 'ping', t: 1 }));
      }
      await new Promise((r) => setTimeout(r, 200));
      observer.close();
      return { requests: kinds.length, fivexx: 0, lost: 0, met: pongs === kinds.length };
    },
  ),
);

rows.push(
  await attack('slow-reader WebSocket flood (400k status)', 'peak RSS < 250 MB, others keep answers', async () => {
    const other = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((r) => other.on('open', r));
    let pongs = 0;
    other.on('message', (d) => String(d).includes('"pong"') && pongs++);
    const timer = setInterval(() => other.send(JSON.stringify({ type: 'ping', t: Date.now() })), 100);
    const raw = await openRawWebSocket(url, { read: false });
    const written = await floodWithoutReading(raw, { type: 'status' }, 400_000);
    await new Promise((r) => setTimeout(r, 1500));
    raw.socket.destroy();
    clearInterval(timer);
    other.close();
    return { requests: written, fivexx: 0, lost: 0, met: pongs >= 10, rssGoalMb: 250 };
  }),
);

// Last but one: the process keeps some of the memory an analysis used, and every row reports the process's RSS.
rows.push(
  await attack('big WAV analysed (195 MB, 96 kHz, 8.9 min)', 'streamed analysis: 200, peak RSS < 300 MB', async () => {
    const r = await postParts(`${url}/api/analyze/audio`, bigWav(195 * MB, { rate: 96000 }).parts, 'audio/wav');
    return { requests: 1, fivexx: r.status >= 500 ? 1 : 0, lost: 0, met: r.status === 200, rssGoalMb: 300 };
  }),
);

rows.push(
  await attack('fuzzed JSON (600 bodies)', 'no 5xx, every 4xx JSON (429s waited out)', async () => {
    let seed = 13;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const atoms = [
      null,
      true,
      false,
      0,
      -1,
      1e308,
      -1e-308,
      2 ** 53 + 1,
      '',
      'x'.repeat(5000),
      '\u0000\ud800',
      '💥'.repeat(50),
      'play',
      'tempo',
      '__proto__',
      'constructor',
    ];
    const value = (depth: number): unknown => {
      const r = rand();
      if (depth > 3 || r < 0.4) return pick(atoms);
      if (r < 0.7) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      const keys = [
        'message',
        'action',
        'bpm',
        'session_id',
        'rating',
        'message_id',
        'context',
        'limit',
        'perspective',
        'daw_context',
        'tracks',
        '__proto__',
        'time_seconds',
      ];
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, () => [pick(keys), value(depth + 1)]));
    };
    const routes = [
      '/codette/chat',
      '/codette/transport',
      '/transport/tempo',
      '/codette/feedback',
      '/codette/suggest',
      '/api/analyze/mixing',
      '/api/analyze/session',
      '/api/analyze/mastering',
      '/codette/extensions',
    ];
    let fivexx = 0;
    let notJson = 0;
    let sent = 0;
    const n = 600;
    // Paced by the rate limit (a 429 is waited out and the same body sent again), so that every body is judged.
    const judge = async (path: string, body: string): Promise<void> => {
      for (;;) {
        const r = await send('POST', path, { ...host, ...JSON_TYPE, 'user-agent': 'redteam-fuzzer' }, body);
        sent++;
        if (r.status === 429) {
          await new Promise((resolve) => setTimeout(resolve, 1000 * Number(r.headers['retry-after'] ?? 1)));
          continue;
        }
        if (r.status >= 500) fivexx++;
        else if (r.status >= 400 && !r.text.startsWith('{"error"')) notJson++;
        return;
      }
    };
    for (let i = 0; i < n; i += 6) {
      await Promise.all(
        Array.from({ length: 6 }, () => {
          const body =
            rand() < 0.15
              ? pick(['{', '{"a":', '[]', 'null', '"x"', '{"message": "\\ud800"}', '\u0000'])
              : JSON.stringify(value(0));
          return judge(pick(routes), body);
        }),
      );
    }
    return { requests: sent, fivexx, lost: 0, met: notJson === 0 };
  }),
);

server.kill('SIGTERM');
console.table(rows);
const missed = rows.filter((r) => !r.met);
console.log(
  `${rows.length} attacks in ${Math.round((Date.now() - started) / 1000)} s; ${missed.length ? `goals missed: ${missed.map((r) => r.attack).join(', ')}` : 'every goal met'}.`,
);
process.exit(missed.length ? 1 : 0);
