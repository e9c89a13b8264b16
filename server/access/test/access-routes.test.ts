import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessList, AccessResult, OriginAccess } from '../../../shared/api/access';
import { ErrorBody } from '../../../shared/schemas/errors';
import { postJson, startTestServer, TestSocket, type TestServer } from '../../test/helpers';

const EXTENSION = { origin: 'chrome-extension://abcdefghijklmnop' };
const DAW = 'https://daw.example.com';
const path = (origin: string) => `/api/access/${encodeURIComponent(origin)}`;
const decide = (server: TestServer, origin: string, decision: 'allowed' | 'denied', headers = EXTENSION) =>
  server.fetch(path(origin), { ...postJson({ decision }, headers), method: 'PUT' });
const ask = (server: TestServer, origin: string, wait = 0) =>
  server.fetch(`/api/access?wait=${wait}`, postJson({ name: 'My DAW' }, { origin }));

describe('POST /api/access: a page asks, the extension answers for the user', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      CODETTE_EXTENSION_IDS: 'abcdefghijklmnop',
      CODETTE_ALLOWED_ORIGINS: 'http://localhost:5173',
    });
  });
  afterAll(() => server.close());

  it('answers any page its preflight and its request with CORS, and nothing else', async () => {
    const pre = await server.fetch('/api/access?wait=5', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://unknown.example',
        'access-control-request-method': 'POST',
        'access-control-request-private-network': 'true',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://unknown.example');
    expect(pre.headers.get('access-control-allow-private-network')).toBe('true');
    const other = await server.fetch('/codette/transport', {
      method: 'OPTIONS',
      headers: { origin: 'https://unknown.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await ask(server, 'https://unknown.example');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://unknown.example');
    expect(AccessResult.parse(await answer.json()).status).toBe('pending');
  });

  it('tells the extension, holds the page until the click, then lets it in (CORS, writes, WebSocket)', async () => {
    const extension = await TestSocket.open(server.url, EXTENSION);
    const bystander = await TestSocket.open(server.url);
    await Promise.all([extension.next('hello'), bystander.next('hello')]);
    // Before the click: no writes, no socket.
    const before = await server.fetch('/codette/transport', postJson({ action: 'play' }, { origin: DAW }));
    expect(before.status).toBe(403);
    expect(ErrorBody.parse(await before.json()).error.message).toContain('/api/access');
    await expect(TestSocket.open(server.url, { origin: DAW })).rejects.toThrow(/403/);

    const waiting = ask(server, DAW, 10).then(async (r) => AccessResult.parse(await r.json()));
    const announced = await extension.next('access_request');
    expect(announced.request).toMatchObject({ origin: DAW, name: 'My DAW' });
    const started = Date.now();
    expect((await decide(server, DAW, 'allowed')).status).toBe(200);
    const result = await waiting;
    expect(result).toMatchObject({ origin: DAW, status: 'allowed', source: 'user' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await extension.next('access_settled')).toMatchObject({ id: announced.request.id, status: 'allowed' });
    expect(bystander.received.some((m) => m.type === 'access_request')).toBe(false);

    const write = await server.fetch('/codette/transport', postJson({ action: 'stop' }, { origin: DAW }));
    expect(write.status).toBe(200);
    expect(write.headers.get('access-control-allow-origin')).toBe(DAW);
    const page = await TestSocket.open(server.url, { origin: DAW });
    await page.next('hello');

    // Revoked: the open socket is closed, and writes are refused again.
    const list = await server.fetch(path(DAW), { method: 'DELETE', headers: EXTENSION });
    expect(list.status).toBe(200);
    expect(AccessList.parse(await list.json()).origins.map((o) => o.origin)).not.toContain(DAW);
    expect((await page.closed).code).toBe(1008);
    expect((await server.fetch('/codette/transport', postJson({ action: 'play' }, { origin: DAW }))).status).toBe(403);
    extension.close();
    bystander.close();
  });

  it('never lets a page decide, list or revoke, not even an allowed one', async () => {
    const allowed = 'https://allowed.example';
    expect((await decide(server, allowed, 'allowed', { origin: 'chrome-extension://abcdefghijklmnop' })).status).toBe(
      200,
    );
    for (const origin of [allowed, 'https://evil.example', 'http://localhost:5173']) {
      expect((await decide(server, 'https://evil.example', 'allowed', { origin })).status, origin).toBe(403);
      expect((await server.fetch('/api/access', { headers: { origin } })).status, origin).toBe(403);
      expect((await server.fetch(path(allowed), { method: 'DELETE', headers: { origin } })).status, origin).toBe(403);
    }
    expect(server.services.access.isAllowed('https://evil.example')).toBe(false);
    expect(server.services.access.isAllowed(allowed)).toBe(true);
  });

  it('answers a denied page at once, with what the user can do', async () => {
    const denied = 'https://denied.example';
    const set = OriginAccess.parse(await (await decide(server, denied, 'denied')).json());
    expect(set.decision).toBe('denied');
    const result = AccessResult.parse(await (await ask(server, denied, 10)).json());
    expect(result.status).toBe('denied');
    expect(result.message).toContain('Options');
    expect((await server.fetch('/codette/transport', postJson({ action: 'play' }, { origin: denied }))).status).toBe(
      403,
    );
  });

  it('keeps CODETTE_ALLOWED_ORIGINS working, and lists it apart from the decisions', async () => {
    const result = AccessResult.parse(await (await ask(server, 'http://localhost:5173')).json());
    expect(result).toMatchObject({ status: 'allowed', source: 'settings' });
    const list = AccessList.parse(await (await server.fetch('/api/access')).json());
    expect(list.from_settings).toEqual(['http://localhost:5173']);
  });

  it('refuses what is not a web page asking, naming the field', async () => {
    const noOrigin = await server.fetch('/api/access', postJson({ name: 'x' }));
    expect(noOrigin.status).toBe(400);
    expect(ErrorBody.parse(await noOrigin.json()).error.details).toEqual({ field: 'origin' });
    const noName = await server.fetch('/api/access', postJson({}, { origin: 'https://x.example' }));
    expect(noName.status).toBe(400);
    expect(ErrorBody.parse(await noName.json()).error.message).toContain('name');
    const badOrigin = await server.fetch('/api/access/javascript%3Aalert(1)', {
      ...postJson({ decision: 'allowed' }, EXTENSION),
      method: 'PUT',
    });
    expect(badOrigin.status).toBe(400);
    const unknown = await server.fetch(path('https://never.example'), { method: 'DELETE' });
    expect(unknown.status).toBe(404);
  });

  it('refuses a page that keeps prompting (429 with Retry-After)', async () => {
    const flood = 'https://flood.example';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await ask(server, flood);
      statuses.push(res.status);
      // The user ignores it: the waiting request goes, the page asks again.
      const pending = server.services.access.list().pending.find((p) => p.origin === flood);
      if (pending) server.services.access.decide(flood, 'denied');
      if (pending) server.services.access.revoke(flood);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
