/**
 * Chat writes and SIGKILL of the real server process (the built bundle under node):
 * - every message the server acknowledged during a burst (WebSocket `ack`, REST 200) is in history after a restart;
 * - a client that resends what was not acknowledged, with the same ids, after a SIGKILL and restart (twice) gets
 *   each message applied exactly once, in the order it was sent.
 */
import { rmSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerMessage } from '../../../shared/schemas/ws';
import { buildBundle, freePort, runServer, tempDir, type ServerProcess } from './server-process';

let bundle: string;
beforeAll(async () => {
  bundle = await buildBundle('chat-sigkill');
});
afterAll(() => rmSync(bundle, { force: true }));

const running: ServerProcess[] = [];
afterAll(async () => {
  for (const s of running) await s.kill('SIGKILL');
});

async function start(port: number, dataDir: string): Promise<{ proc: ServerProcess; url: string }> {
  const proc = runServer(bundle, ['--port', String(port), '--data-dir', dataDir], { CODETTE_RATE_LIMIT: '0' });
  running.push(proc);
  return { proc, url: await proc.ready() };
}

/** A raw WebSocket client that keeps acks and replies by id. */
class ChatClient {
  readonly acks = new Map<string, boolean>();
  readonly replies = new Map<string, { session_id: string; message_id: string }>();
  readonly errors: unknown[] = [];
  readonly closed: Promise<void>;
  #onAck: ((id: string) => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = ServerMessage.parse(JSON.parse(String(data)));
      if (msg.type === 'chat_reply')
        this.replies.set(msg.id, { session_id: msg.reply.session_id, message_id: msg.reply.message_id });
      if (msg.type === 'error') this.errors.push(msg);
      if (msg.type === 'ack') {
        this.acks.set(msg.id, msg.duplicate);
        for (const f of this.#onAck) f(msg.id);
      }
    });
    ws.on('error', () => {});
    this.closed = new Promise((r) => ws.on('close', () => r()));
  }

  static open(url: string): Promise<ChatClient> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new ChatClient(ws)));
      ws.once('error', reject);
    });
  }

  onAck(f: (id: string) => void) {
    this.#onAck.push(f);
  }

  chat(id: string, message: string, sessionId?: string) {
    this.ws.send(
      JSON.stringify({ type: 'chat', id, request: { message, ...(sessionId ? { session_id: sessionId } : {}) } }),
    );
  }

  async waitAck(id: string, timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.acks.has(id)) {
      if (Date.now() > deadline) throw new Error(`no ack for ${id}; errors: ${JSON.stringify(this.errors)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.acks.get(id)!;
  }
}

interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
}

async function history(url: string, sessionId: string): Promise<StoredMessage[]> {
  const res = await fetch(`${url}/codette/sessions/${sessionId}/messages`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: StoredMessage[] }).messages;
}

// Questions from the knowledge (not transport commands, which would move the transport), made unique by a number.
const TOPICS = [
  'how do I EQ a snare',
  'compress a vocal',
  'reverb on drums',
  'gain staging for mixing',
  'sidechain the bass to the kick',
  'mastering loudness for streaming',
];
const question = (tag: string, i: number) => `${TOPICS[i % TOPICS.length]} (${tag} #${i})`;

describe('chat writes and SIGKILL', () => {
  it('every acknowledged message of a burst (3 WebSocket clients and REST with Idempotency-Key) is in history after a restart', async () => {
    const port = await freePort();
    const dataDir = tempDir('codette-kill-');
    const first = await start(port, dataDir);

    interface Acked {
      content: string;
      session: string;
      answer: string;
    }
    const acked: Acked[] = [];
    let stop = false;

    // Three socket clients, each pipelining into its own session (created by its first, awaited, message).
    const socketWriter = async (c: number) => {
      const client = await ChatClient.open(first.url);
      client.chat(`ws${c}-0`, question(`ws${c}`, 0));
      await client.waitAck(`ws${c}-0`);
      const session = client.replies.get(`ws${c}-0`)!.session_id;
      acked.push({ content: question(`ws${c}`, 0), session, answer: client.replies.get(`ws${c}-0`)!.message_id });
      client.onAck((id) => {
        const i = Number(id.split('-')[1]);
        const reply = client.replies.get(id);
        if (reply) acked.push({ content: question(`ws${c}`, i), session, answer: reply.message_id });
      });
      for (let i = 1; i < 400 && !stop && client.ws.readyState === WebSocket.OPEN; i++) {
        client.chat(`ws${c}-${i}`, question(`ws${c}`, i), session);
        // Keep a few in flight, so that the kill lands with messages queued in the server.
        while (!stop && client.ws.readyState === WebSocket.OPEN && i - client.acks.size > 4)
          await new Promise((r) => setTimeout(r, 2));
      }
    };
    // One REST writer with Idempotency-Key, several requests in flight.
    const restWriter = async () => {
      let session: string | undefined;
      for (let i = 0; i < 400 && !stop; i++) {
        const content = question('rest', i);
        try {
          const res = await fetch(`${first.url}/codette/chat`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `rest-${i}` },
            body: JSON.stringify({ message: content, ...(session ? { session_id: session } : {}) }),
          });
          if (res.status !== 200) throw new Error(`chat answered ${res.status}`);
          const body = (await res.json()) as { session_id: string; message_id: string };
          session = body.session_id;
          acked.push({ content, session, answer: body.message_id });
        } catch {
          return; // the server was killed: this request was not acknowledged
        }
      }
    };

    const writers = [socketWriter(0), socketWriter(1), socketWriter(2), restWriter()];
    // Kill in the middle of the burst: after enough acknowledgements that every writer is well under way.
    const deadline = Date.now() + 15_000;
    while (acked.length < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const ackedAtKill = acked.length;
    await first.proc.kill('SIGKILL');
    stop = true;
    await Promise.allSettled(writers);
    // Anything acknowledged before the process died may have arrived just after `ackedAtKill` was read.
    expect(ackedAtKill).toBeGreaterThanOrEqual(60);

    const second = await start(port, dataDir);
    const bySession = new Map<string, StoredMessage[]>();
    for (const a of acked) {
      if (!bySession.has(a.session)) bySession.set(a.session, await history(second.url, a.session));
      const messages = bySession.get(a.session)!;
      const user = messages.filter((m) => m.role === 'user' && m.content === a.content);
      expect(user, a.content).toHaveLength(1);
      expect(
        messages.some((m) => m.id === a.answer && m.role === 'assistant'),
        `answer to ${a.content}`,
      ).toBe(true);
    }
    expect(bySession.size).toBe(4);
    await second.proc.kill('SIGTERM');
  }, 60_000);

  it('a client that resends unacknowledged messages with the same ids after SIGKILL and restart (twice) gets each applied exactly once, in order', async () => {
    const port = await freePort();
    const dataDir = tempDir('codette-resend-');
    const total = 40;
    const ids = Array.from({ length: total }, (_, i) => `outbox-${i}`);
    const contents = ids.map((_, i) => question('outbox', i));
    let sessionId: string | undefined;
    const acknowledged = new Set<string>();
    const duplicates: string[] = [];
    const resentAcked: string[] = [];

    /** One life of the server: connect, resend everything not acknowledged, in order; optionally kill after `killAfter` new acks. */
    const life = async (killAfter: number | null) => {
      const server = await start(port, dataDir);
      const client = await ChatClient.open(server.url);
      // What was not acknowledged, plus the last three that were, as if their acks had been lost on the way.
      const lostAcks = [...acknowledged].slice(-3);
      const pending = ids.filter((id) => !acknowledged.has(id) || lostAcks.includes(id));
      resentAcked.push(...lostAcks);
      // The client's outbox holds the session id once the first reply gave it; the first message creates the session.
      let newAcks = 0;
      let killed: Promise<unknown> | undefined;
      client.onAck((id) => {
        acknowledged.add(id);
        if (client.acks.get(id)) duplicates.push(id);
        newAcks += 1;
        // A few ms after the ack, so that the kill lands at varying points of the next message's handling.
        if (killAfter !== null && newAcks === killAfter)
          killed = new Promise((r) => setTimeout(r, Math.random() * 8)).then(() => server.proc.kill('SIGKILL'));
      });
      for (const id of pending) {
        const i = ids.indexOf(id);
        if (!sessionId) {
          client.chat(id, contents[i]!);
          await client.waitAck(id);
          sessionId = client.replies.get(id)!.session_id;
          continue;
        }
        if (client.ws.readyState !== WebSocket.OPEN) break;
        client.chat(id, contents[i]!, sessionId);
      }
      if (killAfter === null) {
        for (const id of pending) await client.waitAck(id);
        return server;
      }
      await client.closed;
      await killed;
      return undefined;
    };

    await life(8); // killed with messages queued behind the 8th acknowledgement
    expect(acknowledged.size).toBeGreaterThanOrEqual(8);
    expect(acknowledged.size).toBeLessThan(total);
    const afterFirst = acknowledged.size;
    await life(6); // killed again while the resends are being applied
    expect(acknowledged.size).toBeGreaterThan(afterFirst);
    const last = (await life(null))!;
    expect(acknowledged.size).toBe(total);

    const messages = await history(last.url, sessionId!);
    const users = messages.filter((m) => m.role === 'user').map((m) => m.content);
    expect(users).toEqual(contents); // each once, in the order sent
    // Every user message is followed by exactly one answer.
    expect(messages.map((m) => m.role)).toEqual(contents.flatMap(() => ['user', 'assistant']));
    // Only one session: a resent first message does not start another.
    const sessions = (await (await fetch(`${last.url}/codette/sessions`)).json()) as { sessions: unknown[] };
    expect(sessions.sessions).toHaveLength(1);
    // Resends of acknowledged messages are acknowledged again as duplicates (and were not applied again, above).
    expect(resentAcked.length).toBeGreaterThanOrEqual(6);
    for (const id of resentAcked) expect(duplicates, id).toContain(id);
    await last.proc.kill('SIGTERM');
  }, 60_000);
});
