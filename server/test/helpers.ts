import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { loadSettings } from '../config';
import { createLogger } from '../log';
import { startServer, type RunningServer } from '../start';
import { openStore } from '../store/open';
import { ServerMessage } from '../../shared/schemas/ws';

export interface TestServer extends RunningServer {
  logLines: string[];
  fetch(path: string, init?: RequestInit): Promise<Response>;
  json<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }>;
}

/** A loopback port nobody listens on (for a child process that must be told its port). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The real server on an ephemeral loopback port, logging into memory. */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { embeddedStore?: boolean } = {},
): Promise<TestServer> {
  // No probing of this machine's real model servers: a test names the stand-ins it starts.
  const fullEnv = {
    CODETTE_PORT: '0',
    CODETTE_DATA_DIR: mkdtempSync(join(tmpdir(), 'codette-test-')),
    CODETTE_LOG_LEVEL: 'info',
    CODETTE_LLM_DETECT: 'off',
    ...env,
  };
  const settings = loadSettings(fullEnv);
  const logLines: string[] = [];
  // embeddedStore: keep the embedded database even when the environment names a Supabase project (no network here).
  const store = options.embeddedStore ? await openStore({ dataDir: settings.dataDir }) : undefined;
  const running = await startServer(
    settings,
    createLogger(settings.logLevel, (l) => logLines.push(l)),
    { env: fullEnv, store },
  );
  const fetchPath = (path: string, init?: RequestInit) => fetch(running.url + path, init);
  return {
    ...running,
    logLines,
    fetch: fetchPath,
    async json<T>(path: string, init?: RequestInit) {
      const res = await fetchPath(path, init);
      return { status: res.status, body: (await res.json()) as T, headers: res.headers };
    },
  };
}

export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** A WebSocket test client that keeps every server message and can wait for the next one of a type. */
export class TestSocket {
  readonly received: ServerMessage[] = [];
  readonly #waiters: { type: string; match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = ServerMessage.parse(JSON.parse(String(data)));
      this.received.push(msg);
      for (const w of [...this.#waiters]) {
        if (w.type === msg.type && w.match(msg)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(msg);
        }
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + (url.includes('/ws') ? '' : '/ws'), { headers });
    const socket = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  send(message: unknown) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  next<T extends ServerMessage['type']>(
    type: T,
    match: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 3000,
  ) {
    const seen = this.received.find(
      (m) => m.type === type && match(m as Extract<ServerMessage, { type: T }>) && !this.#taken.has(m),
    );
    if (seen) {
      this.#taken.add(seen);
      return Promise.resolve(seen as Extract<ServerMessage, { type: T }>);
    }
    return new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} message within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({
        type,
        match: (m) => match(m as Extract<ServerMessage, { type: T }>),
        resolve: (m) => {
          clearTimeout(timer);
          this.#taken.add(m);
          resolve(m as Extract<ServerMessage, { type: T }>);
        },
      });
    });
  }

  readonly #taken = new Set<ServerMessage>();

  close() {
    this.ws.close();
  }
}

/** Polls until `condition` holds, or fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
