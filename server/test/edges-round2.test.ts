/**
 * Issue 13.8: the smaller holes. A page's <img> flood must not starve local tools; a client that gives up is not a
 * server error; Node's own 400/431 answers are JSON; concurrent copies of one chat id are stored once and all but one
 * acknowledged as duplicates; a failed worker analysis is not run again on the event loop.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, postJson, TestSocket, type TestServer } from './helpers';
import { analyseFile } from '../analysis/analyse-file';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CODETTE_RATE_LIMIT: '600' });
});
afterAll(() => server.close());

/** What a page's <img src="http://127.0.0.1:PORT/..."> sends: no Origin, but the browser's own fetch metadata. */
const IMG_HEADERS = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-dest': 'image',
};

function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d));
    socket.on('end', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.write(text);
  });
}

describe('rate buckets', () => {
  it('150 <img> requests from a page (no Origin) do not use up the budget of native tools', async () => {
    const images = await Promise.all(
      Array.from({ length: 150 }, () =>
        server.fetch('/codette/status', { headers: IMG_HEADERS }).then((r) => r.status),
      ),
    );
    expect(images).toContain(429);
    const native: number[] = [];
    for (let i = 0; i < 20; i++)
      native.push((await server.fetch('/codette/status', { headers: { 'user-agent': 'curl/8.5.0' } })).status);
    expect(native.filter((s) => s !== 200)).toEqual([]);
  });
});

describe('clients that give up', () => {
  it('a client that closes before sending its whole body is neither a 5xx nor an error in the log', async () => {
    const before = (await server.json<{ requests: { errors: number } }>('/api/diagnostics/performance')).body.requests
      .errors;
    const port = Number(new URL(server.url).port);
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            `POST /codette/chat HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"message":"hal`,
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    const after = (await server.json<{ requests: { errors: number } }>('/api/diagnostics/performance')).body.requests
      .errors;
    expect(
      after - before,
      server.logLines
        .filter((l) => l.includes('/codette/chat'))
        .slice(-5)
        .join('\n'),
    ).toBe(0);
    expect(server.logLines.filter((l) => /"level":"error"/.test(l))).toEqual([]);
  });
});

describe("Node's own refusals", () => {
  it('a malformed request line and headers over the limit are answered in JSON (400, 431)', async () => {
    const port = Number(new URL(server.url).port);
    const bad = await raw(port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400/);
    expect(bad.toLowerCase()).toContain('content-type: application/json');
    expect(JSON.parse(bad.slice(bad.indexOf('\r\n\r\n') + 4)).error.code).toBe('bad_request');
    const big = await raw(
      port,
      `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(big).toMatch(/^HTTP\/1\.1 431/);
    expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4)).error.code).toBe('headers_too_large');
  });
});

describe('one chat id sent five times at once', () => {
  it('is stored once; one ack says duplicate:false, the four others duplicate:true (REST and WebSocket)', async () => {
    const key = `race-${Date.now()}`;
    const rest = await Promise.all(
      Array.from({ length: 5 }, () =>
        server
          .fetch('/codette/chat', postJson({ message: 'how do I glue a drum bus?' }, { 'idempotency-key': key }))
          .then((r) => r.json() as Promise<{ message_id: string }>),
      ),
    );
    expect(new Set(rest.map((r) => r.message_id)).size).toBe(1);

    const sockets = await Promise.all(Array.from({ length: 5 }, () => TestSocket.open(server.url)));
    await Promise.all(sockets.map((s) => s.next('hello')));
    const id = `ws-race-${Date.now()}`;
    for (const s of sockets) s.send({ type: 'chat', id, request: { message: 'what ratio for a vocal compressor?' } });
    const acks = await Promise.all(sockets.map((s) => s.next('ack', (m) => m.id === id)));
    expect(acks.map((a) => a.duplicate).sort()).toEqual([false, true, true, true, true]);
    const replies = await Promise.all(sockets.map((s) => s.next('chat_reply', (m) => m.id === id)));
    expect(new Set(replies.map((r) => r.reply.message_id)).size).toBe(1);
    for (const s of sockets) s.close();
  });
});

describe('a failed worker analysis', () => {
  it('is reported, not run again on the event loop', async () => {
    const inline = vi.fn(async () => {
      throw new Error('must not run');
    });
    const inWorker = vi.fn(async () => {
      throw new Error('analysis worker exited with code 1');
    });
    await expect(analyseFile('/nonexistent.wav', { worker: true }, { inline, inWorker })).rejects.toThrow(
      'analysis worker exited with code 1',
    );
    expect(inWorker).toHaveBeenCalledTimes(1);
    expect(inline).not.toHaveBeenCalled();
  });
});
