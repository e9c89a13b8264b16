import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, TestSocket, type TestServer } from './helpers';
import { ErrorBody } from '../../shared/schemas/errors';

/** fetch() will not send a forged Host header, so rebinding is tested with node:http. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Host and Origin checks', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      CODETTE_ALLOWED_ORIGINS: 'http://localhost:5173',
      CODETTE_ALLOWED_HOSTS: 'codette.local:9999',
      CODETTE_EXTENSION_IDS: 'abcdefghijklmnop,1b2c3d4e-0000-4000-8000-000000000000',
    });
  });
  afterAll(() => server.close());

  it('refuses a request whose Host is another name (DNS rebinding) with 403', async () => {
    const res = await rawGet(`${server.url}/health`, { host: `attacker.example:${new URL(server.url).port}` });
    expect(res.status).toBe(403);
    expect(ErrorBody.parse(JSON.parse(res.body)).error.code).toBe('forbidden_host');
  });

  it('accepts loopback names with the port, and the names in CODETTE_ALLOWED_HOSTS', async () => {
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'codette.local:9999']) {
      expect((await rawGet(`${server.url}/health`, { host })).status, host).toBe(200);
    }
    expect((await rawGet(`${server.url}/health`, { host: '127.0.0.1' })).status).toBe(403);
  });

  it('gives a foreign page no CORS headers on reads and 403 on writes', async () => {
    const read = await server.fetch('/health', { headers: { origin: 'https://evil.example' } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    const write = await server.fetch(
      '/codette/transport',
      postJson({ action: 'play' }, { origin: 'https://evil.example' }),
    );
    expect(write.status).toBe(403);
    expect(ErrorBody.parse(await write.json()).error.code).toBe('forbidden_origin');
    expect(server.services.transport.playing).toBe(false);
  });

  it('lets the extension and allowed origins in, with CORS headers and a preflight', async () => {
    for (const origin of [
      'chrome-extension://abcdefghijklmnop',
      'moz-extension://1b2c3d4e-0000-4000-8000-000000000000',
      'http://localhost:5173',
    ]) {
      const res = await server.fetch('/codette/status', { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin'), origin).toBe(origin);
      const pre = await server.fetch('/codette/transport', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    }
  });

  it('refuses a WebSocket upgrade from a foreign Origin and accepts one from the extension', async () => {
    await expect(TestSocket.open(server.url, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const ok = await TestSocket.open(server.url, { origin: 'chrome-extension://abcdefghijklmnop' });
    await ok.next('hello');
    ok.close();
  });

  it('allows requests with no Origin (scripts, curl, a DAW helper)', async () => {
    expect((await server.fetch('/codette/transport', postJson({ action: 'stop' }))).status).toBe(200);
  });
});

describe('origins the server serves', () => {
  it('allows its own origin (http://127.0.0.1:PORT) but not localhost or [::1] on that port, where another program may listen', async () => {
    const server = await startTestServer({ CODETTE_EXTENSION_IDS: 'abcdefghijklmnop' });
    try {
      const port = new URL(server.url).port;
      const own = await server.fetch(
        '/codette/transport',
        postJson({ action: 'stop' }, { origin: `http://127.0.0.1:${port}` }),
      );
      expect(own.status).toBe(200);
      expect(own.headers.get('access-control-allow-origin')).toBe(`http://127.0.0.1:${port}`);
      for (const origin of [`http://localhost:${port}`, `http://[::1]:${port}`]) {
        const write = await server.fetch('/codette/transport', postJson({ action: 'play' }, { origin }));
        expect(write.status, origin).toBe(403);
        const read = await server.fetch('/codette/export', { headers: { origin } });
        expect(read.headers.get('access-control-allow-origin'), origin).toBeNull();
        await expect(TestSocket.open(server.url, { origin }), origin).rejects.toThrow(/403/);
      }
      expect(server.services.transport.playing).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('extension pairing (CODETTE_EXTENSION_IDS unset)', () => {
  it('pairs the first extension that connects, refuses the others, and keeps the pairing across a restart', async () => {
    const server = await startTestServer({});
    const dataDir = server.services.settings.dataDir;
    try {
      const first = await TestSocket.open(server.url, { origin: 'chrome-extension://firstextensionid' });
      await first.next('hello');
      first.close();
      await expect(TestSocket.open(server.url, { origin: 'chrome-extension://anotherextension' })).rejects.toThrow(
        /403/,
      );
      const read = await server.fetch('/codette/export', {
        headers: { origin: 'chrome-extension://anotherextension' },
      });
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
      const write = await server.fetch(
        '/codette/transport',
        postJson({ action: 'play' }, { origin: 'moz-extension://1b2c3d4e-0000-4000-8000-00000000000f' }),
      );
      expect(write.status).toBe(403);
      expect((await write.json()).error.message).toContain('not paired');
    } finally {
      await server.close();
    }
    const again = await startTestServer({ CODETTE_DATA_DIR: dataDir });
    try {
      expect(
        (
          await again.fetch(
            '/codette/transport',
            postJson({ action: 'stop' }, { origin: 'chrome-extension://firstextensionid' }),
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await again.fetch(
            '/codette/transport',
            postJson({ action: 'stop' }, { origin: 'chrome-extension://anotherextension' }),
          )
        ).status,
      ).toBe(403);
    } finally {
      await again.close();
    }
  });

  it('approves another extension only from the paired one or a local tool (no Origin), never from a web page or the other extension', async () => {
    const server = await startTestServer({ CODETTE_ALLOWED_ORIGINS: 'http://localhost:5173' });
    try {
      const paired = { origin: 'chrome-extension://pairedextension' };
      expect((await server.fetch('/codette/status', { headers: paired })).status).toBe(200);
      const firefox = 'moz-extension://1b2c3d4e-0000-4000-8000-000000000001';
      for (const origin of [firefox, 'http://localhost:5173']) {
        const res = await server.fetch(
          '/codette/extensions',
          postJson({ id: '1b2c3d4e-0000-4000-8000-000000000001' }, { origin }),
        );
        expect(res.status, origin).toBe(403);
      }
      const pending = await server.json<{ paired: string[]; refused: string[] }>('/codette/extensions');
      expect(pending.body).toEqual({ paired: ['pairedextension'], refused: ['1b2c3d4e-0000-4000-8000-000000000001'] });
      const approved = await server.fetch(
        '/codette/extensions',
        postJson({ id: '1B2C3D4E-0000-4000-8000-000000000001' }, paired),
      );
      expect(approved.status).toBe(200);
      expect((await server.fetch('/codette/transport', postJson({ action: 'stop' }, { origin: firefox }))).status).toBe(
        200,
      );
      expect((await server.fetch('/codette/extensions', postJson({ id: 'third' }))).status).toBe(200);
      expect((await server.json<{ paired: string[] }>('/codette/extensions')).body.paired).toEqual([
        'pairedextension',
        '1b2c3d4e-0000-4000-8000-000000000001',
        'third',
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('extension ids', () => {
  it('narrows extension origins to CODETTE_EXTENSION_IDS when set', async () => {
    const server = await startTestServer({ CODETTE_EXTENSION_IDS: 'ourextensionid' });
    try {
      const ours = await server.fetch(
        '/codette/transport',
        postJson({ action: 'play' }, { origin: 'chrome-extension://ourextensionid' }),
      );
      expect(ours.status).toBe(200);
      const other = await server.fetch(
        '/codette/transport',
        postJson({ action: 'play' }, { origin: 'chrome-extension://someoneelse' }),
      );
      expect(other.status).toBe(403);
    } finally {
      await server.close();
    }
  });
});

describe('token', () => {
  const token = 'a-very-secret-codette-token';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CODETTE_TOKEN: token });
  });
  afterAll(() => server.close());

  it('requires the bearer token on every request', async () => {
    const missing = await server.fetch('/health');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect(
      (await server.fetch('/health', { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status,
    ).toBe(401);
    expect((await server.fetch('/health', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('requires it on the WebSocket upgrade too, as a header or ?token=', async () => {
    await expect(TestSocket.open(server.url)).rejects.toThrow(/401/);
    const byHeader = await TestSocket.open(server.url, { authorization: `Bearer ${token}` });
    byHeader.close();
    const byQuery = await TestSocket.open(`${server.url}/ws?token=${token}`);
    byQuery.close();
  });

  it('never writes the token to the log', async () => {
    await server.fetch('/health', { headers: { authorization: `Bearer ${token}` } });
    expect(server.logLines.join('')).not.toContain(token);
  });
});

describe('bodies', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CODETTE_BODY_LIMIT: '1kb' });
  });
  afterAll(() => server.close());

  it('refuses a body over the limit with 413', async () => {
    const big = JSON.stringify({ action: 'play', padding: 'x'.repeat(5000) });
    const res = await server.fetch('/codette/transport', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(ErrorBody.parse(await res.json()).error.code).toBe('payload_too_large');
  });

  it('refuses a body over the limit sent in chunks with no Content-Length', async () => {
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(500)));
        controller.close();
      },
    });
    const res = await server.fetch('/codette/transport', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await server.fetch('/codette/transport', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'play',
    });
    expect(res.status).toBe(415);
  });

  it('answers malformed JSON with 400 and no stack trace', async () => {
    const res = await server.fetch('/codette/transport', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"action":',
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(JSON.parse(text)).error.code).toBe('invalid_json');
    expect(text).not.toMatch(/at .*\.(ts|js|mjs):\d+/);
  });

  it('answers a JSON array or string body with 400 naming the body', async () => {
    const res = await server.fetch('/codette/transport', postJson(['play']));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('object');
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a client passes its budget', async () => {
    const server = await startTestServer({ CODETTE_RATE_LIMIT: '60' });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 15; i++) {
        const res = await server.fetch('/health', { headers: { origin: 'http://localhost:5173' } });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Another client has its own budget.
      expect((await server.fetch('/health', { headers: { origin: 'http://localhost:5174' } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
