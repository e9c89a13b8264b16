import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, TestSocket, waitFor, type TestServer } from './helpers';
import { clientFrame, openRawWebSocket } from '../bench/attacks/ws-raw';
import { writableSocketOf } from '../ws/raw-socket';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CODETTE_TICK_HZ: '10', CODETTE_WS_IDLE_TIMEOUT: '1' });
});
afterAll(() => server.close());

describe('WebSocket /ws', () => {
  it('greets with the server version and the transport state', async () => {
    const socket = await TestSocket.open(server.url);
    const hello = await socket.next('hello');
    expect(hello.server).toMatchObject({ name: 'codette', version: server.services.version, protocol: 1 });
    expect(hello.transport.state).toBe('stopped');
    socket.close();
  });

  it('answers ping with pong carrying the id and the client time', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'ping', id: 'p1', t: 42 });
    expect(await socket.next('pong')).toMatchObject({ id: 'p1', t: 42 });
    socket.close();
  });

  it('applies a transport command, acknowledges its id and pushes the change to every client at once', async () => {
    const a = await TestSocket.open(server.url);
    const b = await TestSocket.open(server.url);
    await b.next('hello');
    a.send({ type: 'transport', id: 'cmd-1', command: { action: 'tempo', bpm: 100 } });
    expect(await a.next('ack', (m) => m.id === 'cmd-1')).toMatchObject({ duplicate: false });
    const pushed = await b.next('transport_state', (m) => m.command?.action === 'tempo');
    expect(pushed.state.bpm).toBe(100);
    expect(pushed.state.changed_by.source).toBe('ws');
    a.close();
    b.close();
  });

  it('acknowledges a repeated id again but applies it once', async () => {
    const socket = await TestSocket.open(server.url);
    const { transport } = await socket.next('hello');
    const message = { type: 'transport', id: 'outbox-7', command: { action: 'seek', time_seconds: 30 } };
    socket.send(message);
    expect(await socket.next('ack', (m) => m.id === 'outbox-7')).toMatchObject({ duplicate: false });
    socket.send(message);
    expect(await socket.next('ack', (m) => m.id === 'outbox-7')).toMatchObject({ duplicate: true });
    expect(server.services.transport.revision).toBe(transport.revision + 1);
    socket.close();
  });

  it('keeps the connection open after bad JSON, an unknown type, a bad field or a binary frame', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send('{not json');
    expect((await socket.next('error')).error.code).toBe('invalid_json');
    socket.send({ type: 'dance', id: 'x1' });
    const unknown = await socket.next('error', (m) => m.id === 'x1');
    expect(unknown.error).toMatchObject({ code: 'unknown_type' });
    expect(unknown.error.message).toContain('type');
    socket.send({ type: 'transport', id: 'x2', command: { action: 'tempo', bpm: 5 } });
    const bad = await socket.next('error', (m) => m.id === 'x2');
    expect(bad.error.message).toContain('command.bpm');
    socket.ws.send(Buffer.from([1, 2, 3]));
    expect((await socket.next('error', (m) => m.error.code === 'binary_not_supported')).error.code).toBe(
      'binary_not_supported',
    );
    socket.send({ type: 'ping', id: 'still-here' });
    expect(await socket.next('pong', (m) => m.id === 'still-here')).toBeTruthy();
    socket.close();
  });

  it('takes DAW reports into the state and pushes them to other clients', async () => {
    const tab = await TestSocket.open(server.url);
    const panel = await TestSocket.open(server.url);
    await panel.next('hello');
    tab.send({ type: 'daw_report', id: 'r1', report: { playing: false, bpm: 87, site: 'daw.example' } });
    expect(await tab.next('ack', (m) => m.id === 'r1')).toMatchObject({ duplicate: false });
    const pushed = await panel.next('transport_state', (m) => m.state.bpm === 87);
    expect(pushed.state.changed_by.source).toBe('daw');
    tab.close();
    panel.close();
  });

  it('pushes REST changes over the socket', async () => {
    const socket = await TestSocket.open(server.url);
    await socket.next('hello');
    await server.fetch('/codette/transport', postJson({ action: 'metronome', enabled: true }));
    const pushed = await socket.next('transport_state', (m) => m.command?.action === 'metronome');
    expect(pushed.state.changed_by.source).toBe('rest');
    socket.close();
  });

  it('ticks the position at the configured rate while playing, and stops ticking when stopped', async () => {
    const socket = await TestSocket.open(server.url);
    await socket.next('hello');
    await server.fetch('/codette/transport', postJson({ action: 'play' }));
    const start = socket.received.length;
    await new Promise((r) => setTimeout(r, 1000));
    const ticks = socket.received.slice(start).filter((m) => m.type === 'transport_tick');
    expect(ticks.length).toBeGreaterThanOrEqual(7);
    expect(ticks.length).toBeLessThanOrEqual(12);
    await server.fetch('/codette/transport', postJson({ action: 'stop' }));
    await new Promise((r) => setTimeout(r, 350));
    const after = socket.received.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(socket.received.slice(after).filter((m) => m.type === 'transport_tick')).toHaveLength(0);
    socket.close();
  });

  it('sends server status to clients that subscribe to it', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'subscribe', id: 's1', topics: ['status'] });
    expect((await socket.next('subscribed', (m) => m.id === 's1')).topics).toContain('status');
    const status = await socket.next('server_status');
    expect(status.health.websocket_clients).toBeGreaterThanOrEqual(1);
    socket.close();
  });

  it('drops a client that stops answering pings', async () => {
    await waitFor(() => server.services.hub.size === 0, 3000, 'earlier sockets to close');
    const port = new URL(server.url).port;
    const raw = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    raw.resume(); // read and discard: the pings arrive, no pong goes back
    await waitFor(() => server.services.hub.size === 1, 3000, 'the raw socket to be accepted');
    // The raw socket never answers the server's pings: within two idle periods it is terminated.
    const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
    await closed;
    await waitFor(() => server.services.hub.size === 0, 1000, 'the server to forget the dropped client');
  }, 10_000);

  it('drops a client that keeps sending messages but never answers pings: only pongs count as alive', async () => {
    await waitFor(() => server.services.hub.size === 0, 3000, 'earlier sockets to close');
    const raw = await openRawWebSocket(server.url, { read: true });
    const chatter = setInterval(
      () => raw.socket.write(clientFrame(Buffer.from(JSON.stringify({ type: 'ping', t: 1 })))),
      100,
    );
    const started = Date.now();
    await Promise.race([raw.closed, new Promise((r) => setTimeout(r, 5000))]);
    clearInterval(chatter);
    expect(raw.socket.destroyed || raw.socket.closed, 'closed by the server').toBe(true);
    expect(Date.now() - started).toBeLessThan(4000);
    raw.socket.destroy();
  }, 10_000);

  it('finds the raw TCP socket behind a peer (the broadcast fast path): fails when ws or crossws move their private fields', async () => {
    const socket = await TestSocket.open(server.url);
    await socket.next('hello');
    const peers = server.services.hub.peers;
    expect(peers.length).toBeGreaterThanOrEqual(1);
    for (const peer of peers) expect(writableSocketOf(peer), 'writable socket of the peer').toBeDefined();
    socket.close();
  });

  it('limits the messages of one client (2000 at once, 200 a second): the rest are dropped with one rate_limited error a second', async () => {
    const socket = await TestSocket.open(server.url);
    await socket.next('hello');
    for (let i = 0; i < 3000; i++) socket.send({ type: 'ping', id: `r-${i}`, t: i });
    const limited = await socket.next('error', (m) => m.error.code === 'rate_limited');
    expect(limited.error.message).toContain('200 a second');
    socket.send({ type: 'ping', id: 'after', t: 1 });
    await new Promise((r) => setTimeout(r, 300));
    const pongs = socket.received.filter((m) => m.type === 'pong').length;
    expect(pongs).toBeGreaterThanOrEqual(2000);
    expect(pongs).toBeLessThan(2200);
    socket.close();
  });
});
