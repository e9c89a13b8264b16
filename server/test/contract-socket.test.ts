import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socket } from '../../shared/api/index';
import type { ClientMessageInput, ServerMessage } from '../../shared/schemas/ws';
import { startTestServer, TestSocket, waitFor, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CODETTE_RATE_LIMIT: '0' });
});
afterAll(() => server.close());

type ClientType = ClientMessageInput['type'];
type Sample = (chatMessageId: string) => ClientMessageInput;

/** One valid message of each client type (feedback rates the answer of the chat sample). */
const SAMPLES: Record<ClientType, Sample> = {
  ping: () => ({ type: 'ping', id: 'c-ping', t: 1 }),
  transport: () => ({ type: 'transport', id: 'c-transport', command: { action: 'tempo', bpm: 101 } }),
  daw_report: () => ({ type: 'daw_report', id: 'c-daw', report: { playing: false, bpm: 101 } }),
  subscribe: () => ({ type: 'subscribe', id: 'c-sub', topics: ['status', 'analysis'] }),
  unsubscribe: () => ({ type: 'unsubscribe', id: 'c-unsub', topics: ['status', 'analysis'] }),
  status: () => ({ type: 'status', id: 'c-status' }),
  chat: () => ({ type: 'chat', id: 'c-chat', request: { message: 'how do I compress a lead vocal' } }),
  feedback: (messageId) => ({ type: 'feedback', id: 'c-feedback', feedback: { message_id: messageId, rating: 'up' } }),
  meter_snapshot: () => ({
    type: 'meter_snapshot',
    id: 'c-meter',
    snapshot: { integrated_lufs: -9, true_peak_dbtp: -0.2, measured_seconds: 30 },
  }),
};

/** The messages the server sends the sender of `message` until it acknowledges it (or refuses it). */
async function exchange(ws: TestSocket, message: ClientMessageInput): Promise<ServerMessage[]> {
  const from = ws.received.length;
  ws.send(message);
  // The reply that closes each exchange carries the message's id: ack, pong, subscribed, or error.
  const closing = new Set(['ack', 'pong', 'subscribed', 'error']);
  await waitFor(
    () => ws.received.slice(from).some((m) => closing.has(m.type) && 'id' in m && m.id === message.id),
    5000,
    `the answer to ${message.type}`,
  );
  // A reply sent after it (stream_findings after ack, server_status after subscribed) follows in the same tick.
  await new Promise((r) => setTimeout(r, 50));
  return ws.received.slice(from);
}

describe('the socket contract', () => {
  it('accounts for every server message type: on open, a reply, a topic, the extension, or error', () => {
    const declared = new Set<string>([
      ...socket.onOpen,
      ...Object.values(socket.replies).flat(),
      ...Object.values(socket.topics).flat(),
      ...socket.toExtension,
      'error',
    ]);
    const all = socket.server.options.map((o) => o.shape.type.value);
    expect(all.filter((t) => !declared.has(t))).toEqual([]);
  });

  it('each client message is answered with its declared replies, in order, and nothing else', async () => {
    const ws = await TestSocket.open(server.url);
    await ws.next('hello');
    let chatMessageId = '';
    for (const type of Object.keys(SAMPLES) as ClientType[]) {
      const message = SAMPLES[type](chatMessageId);
      const got = await exchange(ws, message);
      const subscribed = new Set<string>(['transport', ...(type === 'unsubscribe' ? ['status', 'analysis'] : [])]);
      // Topic pushes (the transport state the tempo change caused) may interleave; the replies are the rest.
      const pushed = new Set<string>([...subscribed].flatMap((t) => socket.topics[t as keyof typeof socket.topics]));
      const declared: readonly string[] = socket.replies[type];
      const replies = got.filter((m) => !(pushed.has(m.type) && !declared.includes(m.type))).map((m) => m.type);
      expect(
        replies.filter((t) => !declared.includes(t)),
        `${type} answered ${replies.join(', ')}`,
      ).toEqual([]);
      const order = replies.map((t) => declared.indexOf(t));
      expect(order, `${type} answered ${replies.join(', ')}`).toEqual([...order].sort((a, b) => a - b));
      expect(replies.at(-1) !== 'error', `${type} failed: ${JSON.stringify(got.at(-1))}`).toBe(true);
      const reply = got.find((m) => m.type === 'chat_reply');
      if (reply?.type === 'chat_reply') chatMessageId = reply.reply.message_id;
    }
    ws.close();
  });

  it('an error message carries one of the declared codes', async () => {
    const ws = await TestSocket.open(server.url);
    await ws.next('hello');
    ws.send('{not json');
    ws.send({ type: 'dance', id: 'x1' });
    ws.send({ type: 'chat', id: 'x2', request: {} });
    ws.send({ type: 'feedback', id: 'x3', feedback: { message_id: 'no-such-message', rating: 'up' } });
    for (let i = 0; i < 4; i++) await ws.next('error');
    const codes = ws.received.flatMap((m) => (m.type === 'error' ? [m.error.code] : []));
    expect(codes).toHaveLength(4);
    for (const code of codes) expect(socket.errors).toContain(code);
    ws.close();
  });
});
