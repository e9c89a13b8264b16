import { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, TestSocket, type TestServer } from './helpers';
import { ChatResponse } from '../../shared/schemas/chat';
import { ErrorBody } from '../../shared/schemas/errors';

/** Bugs the fuzzers found, each kept fixed by a test. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('found by fuzzing', () => {
  it('user text in a cache key is data, not structure: no 500 on "..", no shared answer across a "?"', async () => {
    const traversal = await server.fetch('/codette/chat', postJson({ message: 'compress ../../etc/passwd' }));
    expect(traversal.status).toBe(200);
    const suggest = await server.fetch('/codette/suggest', postJson({ context: { track_type: '../../x' } }));
    expect(suggest.status).toBe(200);
    const a = ChatResponse.parse(
      await (await server.fetch('/codette/chat', postJson({ message: 'what is sidechain? for kick and bass' }))).json(),
    );
    const b = ChatResponse.parse(
      await (
        await server.fetch('/codette/chat', postJson({ message: 'what is sidechain? explain gain staging' }))
      ).json(),
    );
    expect(b.response).not.toBe(a.response);
  });

  it('an error never echoes an id the protocol refuses, so it stays a valid message', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'status', id: 'x'.repeat(101) });
    const error = await socket.next('error');
    expect(error.id).toBeUndefined();
    expect(error.error.message).toContain('id');
    socket.close();
  });

  it('a plain GET on the WebSocket path answers 426 in the JSON error shape', async () => {
    for (const path of ['/ws', '/ws/.']) {
      const res = await server.fetch(path);
      expect(res.status).toBe(426);
      expect(ErrorBody.parse(await res.json()).error.code).toBe('upgrade_required');
    }
  });

  it('refuses a request with two Host headers (RFC 9112) instead of reading only the first', async () => {
    const { hostname, port } = new URL(server.url);
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname);
      let out = '';
      socket.on('data', (d) => (out += d));
      socket.on('close', () => resolve(out));
      socket.write(
        `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
      );
    });
    expect(raw.split('\r\n')[0]).toContain('400');
  });

  it('bounds how long a stalled request may hold a socket (headers 10 s, whole request 60 s)', () => {
    const port = Number(new URL(server.url).port);
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    const http = handles.find(
      (h): h is Server => h instanceof Server && (h.address() as AddressInfo | null)?.port === port,
    );
    expect(http?.headersTimeout).toBe(10_000);
    expect(http?.requestTimeout).toBe(60_000);
  });
});
