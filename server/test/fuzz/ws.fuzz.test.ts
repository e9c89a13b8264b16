/**
 * Property-based fuzzing of the WebSocket protocol: every client message type of shared/schemas/ws.ts (enumerated
 * from the `ClientMessage` union, so a new type is fuzzed automatically) with near-valid and hostile fields, random
 * text and binary frames, invalid UTF-8 in text frames, oversized and fragmented frames, deep nesting.
 *
 * Always: every server message fits `ServerMessage`; an invalid message gets an `error` with a code and a message
 * (never `internal_error`) and the connection stays open; invalid UTF-8 and oversized frames end in a protocol close
 * (1007 / 1009) and the server keeps accepting connections; it logs no unexpected error.
 */
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessage, ServerMessage } from '../../../shared/schemas/ws';
import { startTestServer, type TestServer } from '../helpers';
import { deepValue, hostileValue, jsonSchemaOf, nastyString, nearlyValid, type JsonSchema } from './arbitraries';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CODETTE_RATE_LIMIT: '0', CODETTE_LOG_LEVEL: 'warn' });
});
afterAll(() => server?.close());

/** A raw client that keeps every frame, checks each against ServerMessage, and can wait for a pong by id. */
class FuzzSocket {
  readonly messages: ServerMessage[] = [];
  readonly violations: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #pongs = new Map<string, () => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.violations.push('binary frame from the server');
        return;
      }
      let parsed: ServerMessage;
      try {
        // Strictly the shared schema: an `error` that echoed an id the protocol refuses (over 100 characters) would
        // fail here; that was a bug, fixed after this fuzzing found it.
        parsed = ServerMessage.parse(JSON.parse(String(data)));
      } catch (error) {
        this.violations.push(
          `not a ServerMessage: ${String(data).slice(0, 200)} (${(error as Error).message.slice(0, 200)})`,
        );
        return;
      }
      this.messages.push(parsed);
      if (parsed.type === 'pong' && parsed.id) this.#pongs.get(parsed.id)?.();
    });
    ws.on('error', () => {});
    this.closed = new Promise((r) => ws.on('close', (code, reason) => r({ code, reason: String(reason) })));
  }

  static open(url: string): Promise<FuzzSocket> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new FuzzSocket(ws)));
      ws.once('error', reject);
    });
  }

  #seq = 0;
  /** Sends a ping with a fresh id and waits for its pong: everything sent before it has been handled. */
  async roundTrip(timeoutMs = 10_000): Promise<void> {
    const id = `probe-${++this.#seq}`;
    const pong = new Promise<void>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`no pong for ${id} within ${timeoutMs} ms (socket state ${this.ws.readyState})`)),
        timeoutMs,
      );
      this.#pongs.set(id, () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.ws.send(JSON.stringify({ type: 'ping', id }));
    await pong;
  }

  /** The `error` messages that arrived since index `from`. */
  errorsSince(from: number) {
    return this.messages.slice(from).filter((m): m is Extract<ServerMessage, { type: 'error' }> => m.type === 'error');
  }
}

const params = <T>(runs: number): fc.Parameters<T> => ({
  numRuns: runs,
  ...(SEED !== undefined ? { seed: SEED } : {}),
  reporter(details) {
    if (!details.failed) return;
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `${cause.slice(0, 1500)}\n  replay: FUZZ_SEED=${details.seed}\n  input: ${JSON.stringify(details.counterexample)?.slice(0, 1500)}`,
    );
  },
});

function json(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return '{}';
  }
}

/** Sends `frame` then a probe; the connection must still be open and nothing it got back may be an internal error. */
async function sendAndCheck(socket: FuzzSocket, frame: string | Buffer, binary = false): Promise<void> {
  const from = socket.messages.length;
  const violationsFrom = socket.violations.length;
  socket.ws.send(frame, { binary });
  await socket.roundTrip();
  for (const e of socket.errorsSince(from)) {
    if (e.error.code === 'internal_error' || !e.error.message)
      throw new Error(`error ${JSON.stringify(e)} for frame ${String(frame).slice(0, 300)}`);
  }
  const violations = socket.violations.slice(violationsFrom);
  if (violations.length) throw new Error(violations.join('\n'));
}

const messageTypes = ClientMessage.options.map((option) => ({
  schema: jsonSchemaOf(option) as JsonSchema,
  type: (option.shape.type as { value: string }).value,
}));

describe('the WebSocket under random frames', () => {
  it('enumerates the client message types (a new type is fuzzed automatically)', () => {
    expect(messageTypes.map((t) => t.type)).toEqual(
      expect.arrayContaining([
        'ping',
        'transport',
        'daw_report',
        'subscribe',
        'unsubscribe',
        'status',
        'chat',
        'feedback',
      ]),
    );
  });

  for (const { type, schema } of messageTypes) {
    it(`${type}: near-valid and hostile messages get an answer or an error, never a crash, the socket stays open`, async () => {
      const socket = await FuzzSocket.open(server.url);
      const message = fc.oneof(
        { weight: 6, arbitrary: nearlyValid(schema) },
        {
          weight: 1,
          arbitrary: fc.record({
            type: fc.constant(type),
            id: fc.oneof(fc.string({ maxLength: 120 }), nastyString, hostileValue),
          }),
        },
        {
          weight: 1,
          arbitrary: deepValue.map((v) => ({
            type,
            id: 'deep',
            command: v,
            report: v,
            request: v,
            feedback: v,
            topics: v,
          })),
        },
      );
      await fc.assert(
        fc.asyncProperty(message, (m) => sendAndCheck(socket, json(m))),
        params(RUNS),
      );
      expect(socket.ws.readyState).toBe(WebSocket.OPEN);
      socket.ws.close();
    }, 60_000);
  }

  it('random text frames (not JSON, wrong JSON, unknown types, deep nesting) get an error and the socket stays open', async () => {
    const socket = await FuzzSocket.open(server.url);
    const frame = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      nastyString,
      hostileValue.map(json),
      fc.integer({ min: 1_000, max: 300_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
      fc.integer({ min: 1_000, max: 300_000 }).map((n) => '{"type":"ping","t":' + '['.repeat(n)),
      fc.record({ type: fc.oneof(fc.string({ maxLength: 20 }), nastyString, hostileValue) }).map(json),
    );
    const before = socket.messages.length;
    await fc.assert(
      fc.asyncProperty(frame, (f) => sendAndCheck(socket, f)),
      params(RUNS * 2),
    );
    expect(socket.errorsSince(before).length).toBeGreaterThan(0);
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    socket.ws.close();
  }, 60_000);

  it('binary frames get an error naming the protocol, and the socket stays open', async () => {
    const socket = await FuzzSocket.open(server.url);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2_000 }), async (bytes) => {
        const from = socket.messages.length;
        await sendAndCheck(socket, Buffer.from(bytes), true);
        expect(socket.errorsSince(from).map((e) => e.error.code)).toEqual(['binary_not_supported']);
      }),
      params(RUNS),
    );
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    socket.ws.close();
  }, 60_000);

  it('a fragmented text message is put together and answered', async () => {
    const socket = await FuzzSocket.open(server.url);
    const text = JSON.stringify({ type: 'ping', id: 'fragmented', t: 1 });
    const pong = new Promise<void>((resolve) =>
      socket.ws.on('message', (d) => (String(d).includes('"fragmented"') ? resolve() : undefined)),
    );
    socket.ws.send(text.slice(0, 5), { fin: false });
    socket.ws.send(text.slice(5, 12), { fin: false });
    socket.ws.send(text.slice(12), { fin: true });
    await pong;
    socket.ws.close();
  });

  it('invalid UTF-8 in a text frame closes that connection with 1007; the server stays up and accepts new ones', async () => {
    const bad = fc.tuple(
      fc.string({ maxLength: 30 }),
      fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff, 0xfe], [0xe2, 0x82]),
    );
    await fc.assert(
      fc.asyncProperty(bad, async ([prefix, bytes]) => {
        const socket = await FuzzSocket.open(server.url);
        // ws sends a Buffer as a text frame as is when told binary: false: the bytes reach the server unvalidated.
        socket.ws.send(
          Buffer.concat([
            Buffer.from(`{"type":"ping","id":"${prefix.replace(/["\\]/g, '')}`),
            Buffer.from(bytes),
            Buffer.from('"}'),
          ]),
          { binary: false },
        );
        expect((await socket.closed).code).toBe(1007);
        const next = await FuzzSocket.open(server.url);
        await next.roundTrip();
        next.ws.close();
      }),
      params(Math.max(5, Math.round(RUNS / 6))),
    );
  }, 60_000);

  it('a frame over the 1 MiB limit closes that connection with 1009; the server stays up', async () => {
    const socket = await FuzzSocket.open(server.url);
    socket.ws.send(JSON.stringify({ type: 'ping', id: 'big', pad: 'x'.repeat(1024 * 1024 + 10) }));
    expect((await socket.closed).code).toBe(1009);
    const next = await FuzzSocket.open(server.url);
    await next.roundTrip();
    next.ws.close();
  });

  it('a burst of 2000 messages without waiting is answered in order', async () => {
    const socket = await FuzzSocket.open(server.url);
    for (let i = 0; i < 2000; i++)
      socket.ws.send(i % 3 === 0 ? '{not json' : JSON.stringify({ type: 'ping', id: `burst-${i}` }));
    await socket.roundTrip(20_000);
    const pongIds = socket.messages
      .filter((m) => m.type === 'pong' && m.id?.startsWith('burst-'))
      .map((m) => (m as { id: string }).id);
    expect(pongIds).toEqual(
      Array.from({ length: 2000 }, (_, i) => i)
        .filter((i) => i % 3 !== 0)
        .map((i) => `burst-${i}`),
    );
    socket.ws.close();
  }, 30_000);

  it('afterwards: /health answers, a new connection gets hello, nothing unexpected was logged', async () => {
    expect((await server.fetch('/health')).status).toBe(200);
    const socket = await FuzzSocket.open(server.url);
    await socket.roundTrip();
    expect(socket.messages[0]?.type).toBe('hello');
    socket.ws.close();
    const unexpected = server.logLines.filter((l) => /"level":"error"/.test(l));
    expect(unexpected, unexpected.slice(0, 5).join('\n')).toEqual([]);
  });
});
