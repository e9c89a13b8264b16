import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, instrumentedFetch } from '../app';
import { loadSettings } from '../config';
import { loadEngineData } from '../engine/engine';
import { createLogger } from '../log';
import { routes } from '../routes/index';
import { createServices, type Services } from '../services';
import { openStore } from '../store/open';

let services: Services;
let fetchOf: ReturnType<typeof instrumentedFetch>;
beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'codette-sync-'));
  const settings = loadSettings({ CODETTE_DATA_DIR: dataDir, CODETTE_LOG_LEVEL: 'silent', CODETTE_PORT: '0' });
  services = createServices(
    settings,
    createLogger('silent', () => undefined),
    await openStore({ dataDir }),
    loadEngineData([]),
  );
  services.guard.listeningOn('127.0.0.1', 4321);
  fetchOf = instrumentedFetch(createApp(services, routes), services);
});
afterAll(async () => {
  services.metricsRollup.close();
  services.metrics.close();
  await services.store.close();
});

/** A request as srvx hands it over on Node: the Fetch request plus Node's own view of it. */
function nodeRequest(path: string, host: string): Request {
  const request = new Request(`http://${host}${path}`);
  const req = { url: path, headers: { host }, rawHeaders: ['Host', host] };
  return Object.assign(request, { runtime: { node: { req } } });
}

describe('answers that need no waiting are returned as they are, not as promises', () => {
  it('GET /health with a fresh database probe is a Response, counted in the metrics', async () => {
    // The first probe of the database is asynchronous; the next ones within two seconds reuse it.
    const first = fetchOf(nodeRequest('/health', '127.0.0.1:4321'));
    expect(first).toBeInstanceOf(Promise);
    expect((await first).status).toBe(200);
    const before = services.metrics.total;
    const second = fetchOf(nodeRequest('/health', '127.0.0.1:4321'));
    expect(second).toBeInstanceOf(Response);
    const response = second as Response;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe('healthy');
    expect(services.metrics.total).toBe(before + 1);
    expect(services.metrics.inFlight).toBe(0);
  });

  it('a refusal of the guard is a Response too (a DNS-rebinding Host)', async () => {
    const answer = fetchOf(nodeRequest('/health', 'evil.example:4321'));
    expect(answer).toBeInstanceOf(Response);
    const response = answer as Response;
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden_host');
    expect(services.metrics.inFlight).toBe(0);
  });

  it('a routed request that waits still resolves to its answer', async () => {
    const answer = fetchOf(nodeRequest('/codette/nowhere', '127.0.0.1:4321'));
    const response = await answer;
    expect(response.status).toBe(404);
    expect(services.metrics.inFlight).toBe(0);
  });
});
