/**
 * Security edges that server/test/security.test.ts and history.test.ts do not cover: traversal in route parameters,
 * header injection, slow and abandoned requests, homoglyph and look-alike Host values, `Origin: null` and odd
 * extension origins, the token only where it belongs, the WebSocket connection cap, and a chunked upload over the
 * limit leaving nothing behind.
 */
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../shared/schemas/errors';
import { startTestServer, postJson, TestSocket, waitFor, type TestServer } from '../helpers';
import { rawRequest } from './http-client';

/** Sends bytes on a fresh TCP connection and returns everything the server wrote until it closed (or `timeoutMs`). */
function rawExchange(url: string, bytes: Buffer | string, timeoutMs = 3000): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let out = '';
    const t = setTimeout(() => {
      socket.destroy();
      resolve(out);
    }, timeoutMs);
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(t);
      resolve(out);
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}
const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
/** The body of a raw answer; for a chunked one, the JSON between its first "{" and last "}" is enough here. */
const bodyOf = (raw: string) => {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  return /transfer-encoding: chunked/i.test(raw.slice(0, raw.indexOf('\r\n\r\n')))
    ? body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1)
    : body;
};
const headersOf = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n')).toLowerCase();

describe('traversal in route parameters', () => {
  let server: TestServer;
  let sessionId: string;
  beforeAll(async () => {
    server = await startTestServer({ CODETTE_RATE_LIMIT: '0' });
    sessionId = (
      await server.json<{ session_id: string }>('/codette/chat', postJson({ message: 'how do I compress a vocal' }))
    ).body.session_id;
  });
  afterAll(() => server.close());

  const traversals = [
    '..%2F..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
    '%2e%2e%2f%2e%2e',
    '..%5c..%5cwindows',
    '..%252f..%252f',
    '%00',
    '..%00',
    '%c0%ae%c0%ae',
    '..;',
    '....//',
    '%2F',
    '.%2e',
  ];

  it('GET /codette/sessions/{traversal}/messages: a JSON 400/404, never a file, never a 5xx', async () => {
    for (const t of traversals) {
      const res = await rawRequest(server.url, { method: 'GET', path: `/codette/sessions/${t}/messages` });
      expect(res.status, t).toBeGreaterThanOrEqual(400);
      expect(res.status, t).toBeLessThan(500);
      const body = ErrorBody.parse(JSON.parse(res.body.toString()));
      expect(body.error.message).not.toMatch(/root:|\[boot loader\]/);
    }
  });

  it('DELETE /codette/sessions/{traversal} deletes nothing', async () => {
    for (const t of [...traversals, `${sessionId}%2F..`, `..%2F${sessionId}`]) {
      const res = await rawRequest(server.url, { method: 'DELETE', path: `/codette/sessions/${t}` });
      expect(res.status, t).toBeGreaterThanOrEqual(400);
      expect(res.status, t).toBeLessThan(500);
    }
    const sessions = (await server.json<{ sessions: { id: string }[] }>('/codette/sessions')).body.sessions;
    expect(sessions.map((s) => s.id)).toContain(sessionId);
  });

  it('POST /transport/{traversal} applies nothing and answers 400', async () => {
    const before = server.services.transport.snapshot();
    for (const t of ['..%2Fplay', 'play%2F..%2Fstop', '%2e%2e', 'play%00', 'PLAY', 'play.json']) {
      const res = await rawRequest(server.url, {
        method: 'POST',
        path: `/transport/${t}`,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect([400, 404, 405], t).toContain(res.status);
    }
    expect(server.services.transport.snapshot().playing).toBe(before.playing);
  });

  it('dot segments in the raw path never reach a file on disk', async () => {
    for (const path of [
      '/docs/../../package.json',
      '/../../../etc/passwd',
      '/codette/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/openapi.json/..%2f..%2f.env',
    ]) {
      const raw = await rawExchange(
        server.url,
        `GET ${path} HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nConnection: close\r\n\r\n`,
      );
      expect(statusOf(raw), path).toBeLessThan(500);
      expect(bodyOf(raw), path).not.toMatch(/"devDependencies"|root:x:0:0/);
    }
  });
});

describe('header injection', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CODETTE_RATE_LIMIT: '0' });
  });
  afterAll(() => server.close());

  it('CR/LF smuggled into a file name, an Origin or an Idempotency-Key never becomes a response header', async () => {
    const host = new URL(server.url).host;
    const requests = [
      `POST /codette/files?name=a%0d%0aSet-Cookie:%20injected=1%0d%0a.txt HTTP/1.1\r\nHost: ${host}\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`,
      `GET /codette/status HTTP/1.1\r\nHost: ${host}\r\nOrigin: chrome-extension://abc%0d%0aSet-Cookie:%20injected=1\r\nConnection: close\r\n\r\n`,
      `POST /codette/transport HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nIdempotency-Key: k%0d%0aSet-Cookie: injected=1\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{"action":"stop"}`,
      // A bare CR inside a header value: the HTTP parser must refuse it, not split it.
      `GET /health HTTP/1.1\r\nHost: ${host}\r\nX-Test: a\rSet-Cookie: injected=1\r\nConnection: close\r\n\r\n`,
      // Obsolete line folding, which some parsers join into the previous header.
      `GET /health HTTP/1.1\r\nHost: ${host}\r\nX-Test: a\r\n Set-Cookie: injected=1\r\nConnection: close\r\n\r\n`,
    ];
    for (const r of requests) {
      const raw = await rawExchange(server.url, r);
      expect(statusOf(raw), r).toBeGreaterThan(0);
      expect(statusOf(raw), r).toBeLessThan(500);
      expect(headersOf(raw), r).not.toContain('set-cookie');
      expect(headersOf(raw), r).not.toContain('injected');
    }
    const files = (await server.json<{ files: { name: string }[] }>('/codette/files')).body.files;
    for (const f of files) expect(f.name).not.toMatch(/[\r\n]/);
    expect((await server.fetch('/health')).status).toBe(200);
  });

  it('Latin-1 and NUL bytes in header values get a 4xx or are ignored, never a 5xx', async () => {
    const host = new URL(server.url).host;
    for (const value of [
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('a\u0000b', 'latin1'),
      Buffer.from('Bearer \u00e9\u00e9', 'latin1'),
    ]) {
      for (const header of ['Idempotency-Key', 'Authorization', 'Origin', 'X-Supabase-Access-Token', 'Content-Type']) {
        const req = Buffer.concat([
          Buffer.from(`POST /codette/transport HTTP/1.1\r\nHost: ${host}\r\n${header}: `),
          value,
          Buffer.from(
            `\r\n${header === 'Content-Type' ? '' : 'Content-Type: application/json\r\n'}Content-Length: 17\r\nConnection: close\r\n\r\n{"action":"stop"}`,
          ),
        ]);
        const raw = await rawExchange(server.url, req);
        expect(statusOf(raw), `${header}: ${value.toString('hex')}`).toBeGreaterThan(0);
        expect(statusOf(raw), `${header}: ${value.toString('hex')}`).toBeLessThan(500);
      }
    }
  });
});

describe('slow and abandoned requests', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CODETTE_RATE_LIMIT: '0' });
  });
  afterAll(() => server.close());

  it('30 slowloris connections (headers a byte at a time, partial bodies) do not hold up other clients', async () => {
    const { hostname, port, host } = new URL(server.url);
    const sockets: Socket[] = [];
    const timers: NodeJS.Timeout[] = [];
    for (let i = 0; i < 30; i++) {
      const s = connect(Number(port), hostname);
      s.on('error', () => {});
      sockets.push(s);
      const text =
        i % 2
          ? `POST /codette/chat HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"message":"`
          : `GET /health HTTP/1.1\r\nHost: ${host}\r\nX-Slow: ${'x'.repeat(200)}`;
      let k = 0;
      // Partial bodies arrive whole at once and then stall; headers trickle a byte every 50 ms.
      if (i % 2) s.write(text);
      else timers.push(setInterval(() => k < text.length && s.write(text[k++]!), 50));
    }
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      expect((await server.fetch('/health')).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(1000);
    }
    const chat = await server.fetch('/codette/chat', postJson({ message: 'how do I compress a vocal' }));
    expect(chat.status).toBe(200);
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
  });

  it('a client that goes away in the middle of a body leaves no request in flight', async () => {
    const { hostname, port, host } = new URL(server.url);
    await waitFor(() => server.services.metrics.inFlight === 0, 3000, 'no request in flight to begin with');
    const sockets: Socket[] = [];
    for (const path of ['/codette/chat', '/codette/transport', '/codette/files?name=x.wav', '/codette/suggest']) {
      const s = connect(Number(port), hostname);
      s.on('error', () => {});
      const type = path.includes('files') ? 'audio/wav' : 'application/json';
      s.write(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${type}\r\nContent-Length: 50000\r\n\r\n${path.includes('files') ? 'RIFF\u0000\u0000\u0000\u0000WAVE' : '{"message":"half'}`,
      );
      sockets.push(s);
    }
    await waitFor(() => server.services.metrics.inFlight >= 4, 3000, 'the four requests to be in flight');
    for (const s of sockets) s.destroy();
    await waitFor(
      () => server.services.metrics.inFlight === 0,
      5000,
      'in-flight requests to go back to 0 after the clients left',
    );
    // The abandoned upload leaves no partial file behind.
    const dir = join(server.services.settings.dataDir, 'files');
    await waitFor(
      () => {
        try {
          return readdirSync(dir).length === 0;
        } catch {
          return true;
        }
      },
      3000,
      'the partial upload to be removed',
    );
    expect((await server.fetch('/health')).status).toBe(200);
  });
});

describe('look-alike Host values (DNS rebinding through homoglyphs and odd spellings)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CODETTE_RATE_LIMIT: '0' });
  });
  afterAll(() => server.close());

  it('refuses every Host that is not exactly a loopback name with this port; accepts upper case', async () => {
    const port = new URL(server.url).port;
    const refused = [
      `l\u043ecalhost:${port}`, // Cyrillic o
      `\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54:${port}`, // full-width letters
      `\uff11\uff12\uff17.0.0.1:${port}`, // full-width digits
      `127.0.0.1\u3002:${port}`, // ideographic full stop
      `localhost.:${port}`,
      `127.0.0.1.:${port}`,
      `127.1:${port}`,
      `2130706433:${port}`,
      `0x7f000001:${port}`,
      `0177.0.0.1:${port}`,
      `[::ffff:127.0.0.1]:${port}`,
      `[0:0:0:0:0:0:0:1]:${port}`,
      `localhost:${port}@evil.example`,
      `evil.example#@localhost:${port}`,
      `localhost:${port}.evil.example`,
      `localhost.evil.example:${port}`,
      `localhost:0${port}`,
      `localhost:${port}\u0000evil`,
      `localhost`,
      ``,
    ];
    for (const host of refused) {
      const raw = await rawExchange(
        server.url,
        Buffer.concat([
          Buffer.from('GET /codette/status HTTP/1.1\r\nHost: '),
          Buffer.from(host, 'utf8'),
          Buffer.from('\r\nConnection: close\r\n\r\n'),
        ]),
      );
      const status = statusOf(raw);
      // 403 forbidden_host from Codette, or 400 from the HTTP parser for bytes it does not take.
      expect([400, 403], JSON.stringify(host)).toContain(status);
      if (status === 403) expect(JSON.parse(bodyOf(raw)).error.code).toBe('forbidden_host');
    }
    for (const host of [`LOCALHOST:${port}`, `LocalHost:${port}`]) {
      const raw = await rawExchange(server.url, `GET /health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(statusOf(raw), host).toBe(200);
    }
  });

  it('two Host headers are refused with 400, whichever comes first (RFC 9112 3.2)', async () => {
    const port = new URL(server.url).port;
    for (const [a, b] of [
      [`127.0.0.1:${port}`, 'evil.example'],
      ['evil.example', `127.0.0.1:${port}`],
      [`127.0.0.1:${port}`, `127.0.0.1:${port}`],
    ]) {
      const raw = await rawExchange(
        server.url,
        `GET /health HTTP/1.1\r\nHost: ${a}\r\nHost: ${b}\r\nConnection: close\r\n\r\n`,
      );
      expect(statusOf(raw), `${a} + ${b}`).toBe(400);
    }
  });

  it('a look-alike Host is refused on the WebSocket upgrade too', async () => {
    const port = new URL(server.url).port;
    const key = Buffer.from('0123456789abcdef').toString('base64');
    const raw = await rawExchange(
      server.url,
      `GET /ws HTTP/1.1\r\nHost: localhost.:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(statusOf(raw)).toBe(403);
  });
});

describe('odd Origins', () => {
  let server: TestServer;
  let port: string;
  beforeAll(async () => {
    server = await startTestServer({ CODETTE_RATE_LIMIT: '0', CODETTE_EXTENSION_IDS: 'abcdefghijklmnop' });
    port = new URL(server.url).port;
  });
  afterAll(() => server.close());

  it('Origin: null (sandboxed iframes, file: pages, redirects) may not write, nor open the WebSocket, nor read with CORS', async () => {
    const write = await server.fetch('/codette/transport', postJson({ action: 'play' }, { origin: 'null' }));
    expect(write.status).toBe(403);
    expect(ErrorBody.parse(await write.json()).error.code).toBe('forbidden_origin');
    expect(server.services.transport.playing).toBe(false);
    const read = await server.fetch('/codette/status', { headers: { origin: 'null' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await server.fetch('/codette/transport', {
      method: 'OPTIONS',
      headers: { origin: 'null', 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    await expect(TestSocket.open(server.url, { origin: 'null' })).rejects.toThrow(/403/);
  });

  it('mixed case of our extension id and scheme is the same origin; look-alikes are not', async () => {
    for (const origin of [
      'chrome-extension://abcdefghijklmnop',
      'Chrome-Extension://ABCDEFGHIJKLMNOP',
      'MOZ-EXTENSION://abcdefghijklmnop',
    ]) {
      const res = await server.fetch('/codette/transport', postJson({ action: 'stop' }, { origin }));
      expect(res.status, origin).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), origin).toBe(origin);
    }
    const lookAlikes = [
      'chrome-extension://abcdefghijklmnop.evil.example',
      'chrome-extension://abcdefghijklmnop/',
      'chrome-extension://abcdefghijklmnop:443',
      'chrome-extension://abcdefghijklmnopx',
      'chrome-extension://abcdefghijklmno',
      'chrome-extension://abcdefghijklmn\u043ep', // Cyrillic o
      'chrome-extension://',
      'chrome-extension:abcdefghijklmnop',
      'chrome-extension://otherextensionid',
      'https://abcdefghijklmnop.chromiumapp.org',
      `http://127.0.0.1:${port}.evil.example`,
      `http://localhost:${Number(port) + 1}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}@evil.example`,
      'http://localhost',
      'file://',
    ];
    for (const origin of lookAlikes) {
      const res = await rawRequest(server.url, {
        method: 'POST',
        path: '/codette/transport',
        headers: { 'content-type': 'application/json', origin: Buffer.from(origin, 'utf8').toString('latin1') },
        body: '{"action":"play"}',
      });
      expect(res.status, origin).toBe(403);
      expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
    expect(server.services.transport.playing).toBe(false);
  });

  it('the server itself (its own page) is an allowed Origin, and the answer says Vary: Origin', async () => {
    const res = await server.fetch(
      '/codette/transport',
      postJson({ action: 'stop' }, { origin: `http://127.0.0.1:${port}` }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('vary') ?? '').toMatch(/origin/i);
  });
});

describe('the token, only where it belongs', () => {
  const token = 'edge-case-codette-token-0123456789';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CODETTE_TOKEN: token, CODETTE_RATE_LIMIT: '0' });
  });
  afterAll(() => server.close());

  it('?token= is for the WebSocket upgrade only: a REST request with it and no header is refused', async () => {
    expect((await server.fetch(`/health?token=${token}`)).status).toBe(401);
    expect((await server.fetch(`/codette/transport?token=${token}`, postJson({ action: 'play' }))).status).toBe(401);
    expect(server.services.transport.playing).toBe(false);
  });

  it('refuses near misses: Basic, a prefix, a suffix, another header, different case', async () => {
    const wrong: Record<string, string>[] = [
      { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
      { authorization: `Bearer ${token.slice(0, -1)}` },
      { authorization: `Bearer ${token}x` },
      { authorization: `Bearer ${token.toUpperCase()}` },
      { authorization: `Token ${token}` },
      { authorization: token },
      { 'x-supabase-access-token': token },
      { authorization: 'Bearer ' },
    ];
    for (const headers of wrong)
      expect((await server.fetch('/health', { headers })).status, JSON.stringify(headers)).toBe(401);
    expect((await server.fetch('/health', { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
  });

  it('the WebSocket upgrade with the token under another name is refused', async () => {
    await expect(TestSocket.open(`${server.url}/ws?access_token=${token}`)).rejects.toThrow(/401/);
    await expect(TestSocket.open(`${server.url}/ws?Token=${token}`)).rejects.toThrow(/401/);
  });
});

describe('WebSocket connection cap', () => {
  it('answers 503 with Retry-After to upgrades beyond CODETTE_WS_MAX_CLIENTS, in JSON, and lets one in once another left', async () => {
    const server = await startTestServer({ CODETTE_WS_MAX_CLIENTS: '5' });
    try {
      const opened: TestSocket[] = [];
      for (let i = 0; i < 5; i++) opened.push(await TestSocket.open(server.url));
      const key = Buffer.from('0123456789abcdef').toString('base64');
      const raw = await rawExchange(
        server.url,
        `GET /ws HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        1500,
      );
      expect(statusOf(raw)).toBe(503);
      expect(headersOf(raw)).toMatch(/retry-after: \d+/);
      expect(ErrorBody.parse(JSON.parse(bodyOf(raw))).error.code).toBe('too_many_connections');
      opened.shift()!.close();
      await waitFor(() => server.services.hub.size < 5, 3000, 'the closed socket to be gone');
      const again = await TestSocket.open(server.url);
      await again.next('hello');
      again.close();
      for (const s of opened) s.close();
    } finally {
      await server.close();
    }
  });
});

describe('an upload over the limit without Content-Length', () => {
  it('is refused with 413 and leaves no file behind', async () => {
    const server = await startTestServer({ CODETTE_UPLOAD_LIMIT: '64kb', CODETTE_RATE_LIMIT: '0' });
    try {
      const chunks = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('plain text idea '));
          for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(8192)));
          controller.close();
        },
      });
      const res = await server.fetch('/codette/files?name=big.txt', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: chunks,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(ErrorBody.parse(await res.json()).error.code).toBe('payload_too_large');
      const dir = join(server.services.settings.dataDir, 'files');
      let left: string[] = [];
      try {
        left = readdirSync(dir);
      } catch {
        left = [];
      }
      expect(left).toEqual([]);
      expect((await server.json<{ files: unknown[] }>('/codette/files')).body.files).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
