import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CodetteApiError, CodetteClient } from '../client/codette-client';
import { startTestServer, type TestServer } from '../../server/test/helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('the typed client for web DAWs', () => {
  it('reads health and drives the transport with typed, validated answers', async () => {
    const client = new CodetteClient({ baseUrl: server.url });
    expect((await client.health()).status).toBe('healthy');
    const result = await client.transport({ action: 'tempo', bpm: 140 }, { idempotencyKey: 'client-1' });
    expect(result.state.bpm).toBe(140);
    expect((await client.transport({ action: 'tempo', bpm: 140 }, { idempotencyKey: 'client-1' })).duplicate).toBe(
      true,
    );
    expect((await client.transportState()).bpm).toBe(140);
  });

  it('throws a CodetteApiError carrying the code and the message', async () => {
    const client = new CodetteClient({ baseUrl: server.url });
    const error = await client.transport({ action: 'tempo', bpm: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodetteApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_request' });
  });

  it('connects the socket and dispatches messages by type', async () => {
    const client = new CodetteClient({
      baseUrl: server.url,
      WebSocket: WebSocket as unknown as new (url: string) => globalThis.WebSocket,
    });
    const socket = client.connect();
    const hello = new Promise((resolve) => socket.on('hello', resolve));
    await socket.opened;
    expect(await hello).toMatchObject({ type: 'hello' });
    const pong = new Promise((resolve) => socket.on('pong', resolve));
    socket.send({ type: 'ping', id: 'c1' });
    expect(await pong).toMatchObject({ id: 'c1' });
    socket.close();
  });
});
