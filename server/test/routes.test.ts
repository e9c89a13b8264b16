import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { startTestServer, postJson, TestSocket, type TestServer } from './helpers';
import { ServiceInfo, Health } from '../../shared/schemas/service';
import {
  CacheCleared,
  CacheStats,
  Credentials,
  Dependencies,
  DiagnosticsStatus,
  Endpoints,
  Performance,
} from '../../shared/schemas/diagnostics';
import { TransportResult, TransportState } from '../../shared/schemas/transport';
import { ErrorBody } from '../../shared/schemas/errors';
import { routes } from '../routes/index';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function expectShape<S extends z.ZodType>(path: string, schema: S, init?: RequestInit): Promise<z.output<S>> {
  const { status, body } = await server.json(path, init);
  expect(status, `${path} answered ${JSON.stringify(body)}`).toBe(200);
  return schema.parse(body);
}

describe('service routes', () => {
  it('GET / names the service, its version and where the docs are', async () => {
    const body = await expectShape('/', ServiceInfo);
    expect(body).toMatchObject({ service: 'codette', docs: '/docs', websocket: '/ws' });
  });

  it('GET /health reports healthy with uptime and the WebSocket client count', async () => {
    const body = await expectShape('/health', Health);
    expect(body.status).toBe('healthy');
    expect(body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(body.websocket_clients).toBe(0);
  });

  it('GET /openapi.json describes every route the server mounts', async () => {
    const { body } = await server.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      '/openapi.json',
    );
    expect(body.openapi).toBe('3.1.0');
    for (const r of routes) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      expect(body.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    }
  });

  it('GET /docs is a readable HTML reference with no outside resources', async () => {
    const res = await server.fetch('/docs');
    const html = await res.text();
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('/codette/transport');
    expect(html).toContain('WebSocket');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
  });
});

describe('demo', () => {
  it('GET /demo serves a small DAW page that plays through Web Audio', async () => {
    const res = await server.fetch('/demo');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('AudioContext');
    expect(html).toMatch(/aria-label="Play"|aria-label='Play'|>Play</i);
  });
});

describe('diagnostics', () => {
  it('status has the three values of the checklist one-liner, all non-null', async () => {
    const body = await expectShape('/api/diagnostics/status', DiagnosticsStatus);
    expect(body.system.server).not.toBeNull();
    expect(body.system.server.listening).toBe(server.url);
    expect(body.database.client_initialized).not.toBeNull();
    expect(body.dependencies.packages.find((p) => p.name === 'h3')?.installed).toBe(true);
  });

  it("endpoints are the router's own list", async () => {
    const body = await expectShape('/api/diagnostics/endpoints', Endpoints);
    expect(body.count).toBe(routes.length);
    expect(body.endpoints.map((e) => `${e.method} ${e.path}`).sort()).toEqual(
      routes.map((r) => `${r.method} ${r.path}`).sort(),
    );
  });

  it('dependencies list the runtime and package versions', async () => {
    const body = await expectShape('/api/diagnostics/dependencies', Dependencies);
    expect(body.runtime.node).toBe(process.version);
    expect(body.packages.every((p) => p.installed)).toBe(true);
  });

  it('GET /health answers the same before the router as through it (h3 serves /health?…), with CORS, counted alike', async () => {
    const direct = await server.fetch('/health');
    const routed = await server.fetch('/health?via=router');
    expect(direct.status).toBe(200);
    expect(routed.status).toBe(200);
    expect(direct.headers.get('content-type')).toBe(routed.headers.get('content-type'));
    const [a, b] = [Health.parse(await direct.json()), Health.parse(await routed.json())];
    expect({ ...a, uptime_seconds: 0, database: { ...a.database, latency_ms: 0 } }).toEqual({
      ...b,
      uptime_seconds: 0,
      database: { ...b.database, latency_ms: 0 },
    });
    // The guard runs first on both (security.test.ts sends a rebinding Host to the plain /health): an extension's
    // Origin gets its CORS headers on either path.
    for (const path of ['/health', '/health?via=router']) {
      const res = await server.fetch(path, { headers: { origin: 'chrome-extension://abcdefghijklmnop' } });
      expect(res.headers.get('access-control-allow-origin'), path).toBe('chrome-extension://abcdefghijklmnop');
    }
    const before =
      (await expectShape('/api/diagnostics/performance', Performance)).routes.find(
        (r) => r.route === '/health' && r.method === 'GET',
      )?.count ?? 0;
    await server.fetch('/health');
    await server.fetch('/health?via=router');
    const after =
      (await expectShape('/api/diagnostics/performance', Performance)).routes.find(
        (r) => r.route === '/health' && r.method === 'GET',
      )?.count ?? 0;
    expect(after - before).toBe(2);
  });

  it('performance counts requests and reports latency percentiles per route', async () => {
    for (let i = 0; i < 5; i++) await server.fetch('/health');
    const body = await expectShape('/api/diagnostics/performance', Performance);
    const health = body.routes.find((r) => r.route === '/health' && r.method === 'GET');
    expect(health?.count).toBeGreaterThanOrEqual(5);
    expect(health!.p99_ms).toBeGreaterThanOrEqual(health!.p50_ms);
    expect(body.requests.total).toBeGreaterThanOrEqual(5);
    expect(body.memory.rss_mb).toBeGreaterThan(10);
    expect(body.event_loop_delay_ms.p99).toBeGreaterThanOrEqual(0);
  });

  it('performance times each broadcast on the server and counts its recipients', async () => {
    const sockets = await Promise.all([0, 1, 2].map(() => TestSocket.open(server.url)));
    const before = (await expectShape('/api/diagnostics/performance', Performance)).websocket.broadcast_ms.count;
    const pushed = sockets.map((s) => s.next('transport_state', (m) => m.state.bpm === 97));
    expect((await server.fetch('/codette/transport', postJson({ action: 'tempo', bpm: 97 }))).status).toBe(200);
    await Promise.all(pushed);
    const ws = (await expectShape('/api/diagnostics/performance', Performance)).websocket;
    expect(ws.broadcast_ms.count).toBeGreaterThan(before);
    expect(ws.broadcast_ms.last_recipients).toBeGreaterThanOrEqual(3);
    expect(ws.broadcast_ms.max).toBeGreaterThanOrEqual(ws.broadcast_ms.p50);
    for (const s of sockets) s.ws.close();
  });

  it('credentials report absent keys without warnings', async () => {
    const body = await expectShape('/api/diagnostics/credentials', Credentials);
    expect(body.supabase.service_role_key.present).toBe(false);
    expect(body.status).toBe('ok');
  });

  it('cache figures are served by both cache routes', async () => {
    await expectShape('/api/diagnostics/cache', CacheStats);
    const stats = await expectShape('/api/cache-stats', CacheStats);
    expect(stats.ttl_seconds).toBe(300);
    const cleared = await expectShape('/api/cache-clear', CacheCleared, { method: 'POST' });
    expect(cleared.stats.entries).toBe(0);
  });
});

describe('transport routes', () => {
  it('play, tempo and stop through POST /codette/transport change GET /codette/status', async () => {
    const played = await expectShape('/codette/transport', TransportResult, postJson({ action: 'play' }));
    expect(played.state.playing).toBe(true);
    await expectShape('/codette/transport', TransportResult, postJson({ action: 'tempo', bpm: 128 }));
    const status = await expectShape('/codette/status', TransportState);
    expect(status).toMatchObject({ playing: true, bpm: 128, changed_by: { source: 'rest' } });
    await expectShape('/codette/transport', TransportResult, postJson({ action: 'stop' }));
    expect((await expectShape('/transport/status', TransportState)).playing).toBe(false);
  });

  it('the /transport/{action} aliases take their parameters from the body', async () => {
    for (const [action, body] of [
      ['play', undefined],
      ['pause', undefined],
      ['resume', undefined],
      ['record', { enabled: false }],
      ['seek', { time_seconds: 12 }],
      ['tempo', { bpm: 90 }],
      ['loop', { enabled: true, start_seconds: 0, end_seconds: 8 }],
      ['stop', undefined],
    ] as const) {
      const init = body ? postJson(body) : { method: 'POST' };
      const result = await expectShape(`/transport/${action}`, TransportResult, init);
      expect(result.action).toBe(action);
    }
    const state = await expectShape('/transport/status', TransportState);
    expect(state).toMatchObject({ bpm: 90, loop: { enabled: true, end_seconds: 8 } });
  });

  it('time signature and metronome change the state', async () => {
    await expectShape(
      '/codette/transport',
      TransportResult,
      postJson({ action: 'time_signature', numerator: 3, denominator: 4 }),
    );
    const r = await expectShape(
      '/codette/transport',
      TransportResult,
      postJson({ action: 'metronome', enabled: true }),
    );
    expect(r.state).toMatchObject({ metronome: true, time_signature: { numerator: 3, denominator: 4 } });
  });

  it('answers 400 naming the field for a bad action or value', async () => {
    const cases: [string, unknown, string][] = [
      ['/codette/transport', { action: 'dance' }, 'action'],
      ['/codette/transport', { action: 'tempo', bpm: 'fast' }, 'bpm'],
      ['/codette/transport', { action: 'seek', time_seconds: -1 }, 'time_seconds'],
      ['/codette/transport', { action: 'loop', enabled: true, start_seconds: 8, end_seconds: 2 }, 'end_seconds'],
      ['/codette/transport', { action: 'time_signature', numerator: 4, denominator: 3 }, 'denominator'],
      ['/transport/jump', {}, 'action'],
    ];
    for (const [path, body, field] of cases) {
      const { status, body: err } = await server.json(path, postJson(body));
      expect(status, JSON.stringify(body)).toBe(400);
      const parsed = ErrorBody.parse(err);
      expect(parsed.error.code).toBe('invalid_request');
      expect(parsed.error.message).toContain(field);
    }
  });

  it('an Idempotency-Key makes a retried command apply once', async () => {
    const before = await expectShape('/codette/status', TransportState);
    const init = postJson({ action: 'seek', time_seconds: 3 }, { 'idempotency-key': 'retry-1' });
    const first = await expectShape('/codette/transport', TransportResult, init);
    const again = await expectShape(
      '/codette/transport',
      TransportResult,
      postJson({ action: 'seek', time_seconds: 3 }, { 'idempotency-key': 'retry-1' }),
    );
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.state.revision).toBe(before.revision + 1);
  });
});

describe('unknown paths and methods', () => {
  it('answers 404 in JSON for an unknown path', async () => {
    const { status, body } = await server.json('/no/such/thing');
    expect(status).toBe(404);
    expect(ErrorBody.parse(body).error.code).toBe('not_found');
  });

  it('answers 405 in JSON with Allow for a known path and the wrong method', async () => {
    const res = await server.fetch('/health', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(ErrorBody.parse(await res.json()).error.code).toBe('method_not_allowed');
  });

  it('logs one structured line per request with id, method, route, status and ms', async () => {
    await server.fetch('/codette/status');
    const line = server.logLines
      .map((l) => JSON.parse(l))
      .reverse()
      .find((l) => l.route === '/codette/status');
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'GET', status: 200 });
    expect(typeof line.id).toBe('string');
    expect(typeof line.ms).toBe('number');
  });
});
