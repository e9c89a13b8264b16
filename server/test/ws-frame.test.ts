/** The broadcast fast path writes frames it builds itself: a real `ws` client must read them as the text sent. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame } from '../ws/hub';

describe('textFrame', () => {
  let server: WebSocketServer | undefined;
  afterAll(() => server?.close());

  it('is read back intact by a ws client for the 7-bit, 16-bit and 64-bit length forms', async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const accepted = once(server, 'connection');
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const [serverSide] = (await accepted) as [WebSocket];
    await once(client, 'open');
    const received: string[] = [];
    client.on('message', (data, isBinary) => received.push(`${isBinary ? 'binary' : 'text'}:${String(data)}`));
    const texts = [
      '',
      'x'.repeat(125),
      'é'.repeat(63),
      'y'.repeat(126),
      'z'.repeat(65_535),
      `{"big":"${'w'.repeat(70_000)}"}`,
    ];
    const socket = (serverSide as unknown as { _socket: { write(b: Uint8Array): boolean } })._socket;
    for (const t of texts) socket.write(textFrame(Buffer.from(t)));
    const deadline = Date.now() + 5000;
    while (received.length < texts.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(received).toEqual(texts.map((t) => `text:${t}`));
    client.close();
  });
});
