import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from 'srvx';
import { plugin as websocketPlugin } from 'crossws/server';
import type { Settings } from './config';
import type { Logger } from './log';
import { createApp, instrumentedFetch } from './app';
import { createServices, type Services } from './services';
import { routes } from './routes/index';
import { startBroadcasts } from './ws/socket';
import { openStore, readKnowledge } from './store/open';
import { loadEngineData } from './engine/engine';
import { StoreError } from './store/errors';
import type { CodetteStore } from './store/types';
import { sweepPartialUploads } from './files/upload';
import { answerClientError } from './http/client-error';

/** A start-up failure a person can fix: the message says how. */
export class StartError extends Error {
  override name = 'StartError';
}

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  /** Stops accepting, closes sockets with 1001, flushes, and resolves when everything is closed. */
  close(): Promise<void>;
}

const WS_MAX_MESSAGE_BYTES = 1024 * 1024;
const GRACE_MS = 3000;
const HEADERS_TIMEOUT_MS = 10_000;
/** Long enough for the largest upload over loopback, short enough not to hold a stalled request for minutes. */
const REQUEST_TIMEOUT_MS = 60_000;

export function ensureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new StartError(
      `Cannot use the data directory ${dir} (${code}). Choose another with --data-dir DIR or CODETTE_DATA_DIR.`,
    );
  }
}

/** Store errors at start (unreadable knowledge, a locked or newer database...) become one line for the person. */
async function asStartError<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StoreError) throw new StartError(error.message);
    throw error;
  }
}

export interface StartOptions {
  /** The environment the settings came from, for the credentials check. */
  env?: Record<string, string | undefined>;
  /** A store opened by the caller; by default the one the settings select. */
  store?: CodetteStore;
}

export async function startServer(settings: Settings, log: Logger, options: StartOptions = {}): Promise<RunningServer> {
  const env = options.env ?? {};
  // The knowledge data files are read once: they fill the store and give the engine its subject words.
  const knowledge = (await asStartError(() => readKnowledge())) ?? [];
  const store =
    options.store ??
    (await asStartError(() => openStore({ dataDir: settings.dataDir, supabase: settings.supabase, knowledge })));
  const services = createServices(settings, log, store, loadEngineData(knowledge), env);
  // Uploads a killed server was receiving: never recorded, so nothing points at them.
  const swept = await sweepPartialUploads(settings.dataDir);
  if (swept) log.info('partial uploads removed', { count: swept });
  const app = createApp(services, routes);
  const server = serve({
    fetch: instrumentedFetch(app, services),
    hostname: settings.host,
    port: settings.port,
    manual: true,
    silent: true,
    gracefulShutdown: false,
    // A client that stalls (headers or body) does not hold a socket and a handler for Node's default 60 s / 300 s.
    node: { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    plugins: [
      websocketPlugin({
        // Liveness is the hub's heartbeat (pongs only): crossws's own counts any message as a sign of life.
        options: { node: { idleTimeout: 0, serverOptions: { maxPayload: WS_MAX_MESSAGE_BYTES } } },
      }),
    ],
  });
  try {
    await server.serve();
  } catch (error) {
    services.metricsRollup.close();
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new StartError(
        `Port ${settings.port} on ${settings.host} is already in use. Is Codette already running (curl http://${settings.host}:${settings.port}/health)? Stop it, or start with --port ${settings.port + 1}.`,
      );
    }
    if (code === 'EACCES')
      throw new StartError(`Not allowed to listen on port ${settings.port}: choose a port above 1024 with --port.`);
    throw new StartError(`Cannot listen on ${settings.host}:${settings.port}: ${(error as Error).message}`);
  }
  server.node!.server!.on('clientError', answerClientError);
  const port = (server.node!.server!.address() as AddressInfo).port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = `http://${host}:${port}`;
  services.guard.listeningOn(settings.host, port);
  services.url = url;
  const stopBroadcasts = startBroadcasts(services);
  void services.backups.start();
  // A local model found on loopback answers without configuration; the probe runs in the background.
  if (!settings.llm) void services.llm.detect(true).catch(() => undefined);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      stopBroadcasts();
      // Pages waiting for the user's answer are let go at once (they would hold the graceful close).
      services.access.close();
      services.hub.closeAll(1001, 'Codette server is shutting down');
      const graceful = server.close(false);
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), GRACE_MS).unref()),
      ]);
      if (timedOut) await server.close(true);
      await services.backups.stop();
      services.metricsRollup.close();
      await store.close();
      services.metrics.close();
    })());

  return { url, port, services, close };
}
