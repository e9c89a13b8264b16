import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, TestSocket, type TestServer } from './helpers';
import { ChatResponse, SuggestResponse } from '../../shared/schemas/chat';
import { ErrorBody } from '../../shared/schemas/errors';
import { TransportState } from '../../shared/schemas/transport';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function ask(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await server.fetch('/codette/chat', postJson(body, headers));
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(200);
  return ChatResponse.parse(json);
}

describe('chat: knowledge questions', () => {
  it('answers from cited knowledge with a confidence that depends on the match', async () => {
    const good = await ask({ message: 'my kick and bass are clashing, how do I fix the masking?' });
    expect(good.sources.length).toBeGreaterThan(0);
    expect(good.sources.some((s) => /kick|bass|mask/.test(s.id))).toBe(true);
    expect(good.response).toContain(good.sources[0]!.title);
    const offTopic = await ask({ message: 'what is the capital city of portugal' });
    expect(offTopic.response).toMatch(/^That's outside what I can help with/);
    expect(offTopic.sources).toEqual([]);
  });

  it('stores every turn in the history', async () => {
    const reply = await ask({ message: 'how do I de-ess a vocal?' });
    const { body } = await server.json<{ messages: { role: string; content: string }[] }>(
      `/codette/sessions/${reply.session_id}/messages`,
    );
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(body.messages[1]!.content).toBe(reply.response);
  });

  it("understands musicians' words: synonyms and stems", async () => {
    const esses = await ask({ message: 'the esses on my singer are piercing' });
    expect(esses.sources.some((s) => /sibil|de-?ess/.test(s.id))).toBe(true);
    const bassDrum = await ask({ message: 'bass drum needs more punch' });
    expect(bassDrum.sources.some((s) => /kick/.test(s.id))).toBe(true);
  });

  it('keeps the chosen perspective and never repeats a block of the answer', async () => {
    const mix = await ask({ message: 'how should I compress a snare', perspective: 'mix_engineering' });
    const fix = await ask({ message: 'how should I compress a snare', perspective: 'technical_troubleshooting' });
    expect(mix.perspective).toBe('mix_engineering');
    expect(fix.perspective).toBe('technical_troubleshooting');
    for (const reply of [mix, fix]) {
      const lines = reply.response
        .split('\n')
        .map((l) => l.replace(/^[-*\d.\s]+/, '').trim())
        .filter((l) => l.length > 20);
      expect(new Set(lines).size).toBe(lines.length);
      expect(reply.response).not.toMatch(/Check in this order|Make it a habit/);
    }
  });

  it("understands a follow-up from the session's earlier turn", async () => {
    const first = await ask({ message: 'how should I compress a kick drum?' });
    expect(first.sources[0]!.id).toMatch(/^comp\./);
    const follow = await ask({ message: 'and on vocals?', session_id: first.session_id });
    expect(follow.sources.some((s) => s.id.startsWith('comp.') && /vocal/.test(s.id))).toBe(true);
  });

  it('serves a repeated context-free question from the cache', async () => {
    const before = (await server.json<{ hits: number }>('/api/cache-stats')).body.hits;
    await ask({ message: 'what is parallel compression good for' });
    await ask({ message: 'what is parallel compression good for' });
    expect((await server.json<{ hits: number }>('/api/cache-stats')).body.hits).toBe(before + 1);
  });
});

describe('chat: commands, calculations, the mix, help', () => {
  it('applies transport commands and returns them as actions', async () => {
    const reply = await ask({ message: 'loop bars 5 to 8' });
    expect(reply.actions).toEqual([{ action: 'loop', enabled: true, start_seconds: 8, end_seconds: 16 }]);
    // Said in bars, as a musician counts a loop (bar 5 to the end of bar 8), with the seconds at the tempo in force.
    expect(reply.response).toBe('Done: looping bars 5-8 (8-16 s at 120 BPM).');
    const state = TransportState.parse((await server.json('/codette/status')).body);
    expect(state.loop).toEqual({ enabled: true, start_seconds: 8, end_seconds: 16 });
    expect(state.changed_by.source).toBe('chat');
    await ask({ message: 'tempo 128' });
    expect(TransportState.parse((await server.json('/codette/status')).body).bpm).toBe(128);
  });

  it('calculates delay times for a tempo', async () => {
    const reply = await ask({ message: 'delay times at 120 bpm' });
    expect(reply.response).toContain('500');
    expect(reply.response).toContain('375');
  });

  it('reviews the current mix from the figures in the context, citing them', async () => {
    const reply = await ask({
      message: 'is my master too loud for spotify?',
      daw_context: { metrics: { integrated_lufs: -8.2, true_peak_dbtp: 0.4, range_lu: 3.1 } },
    });
    expect(reply.response).toContain('-8.2 LUFS');
    expect(reply.response).toContain('-14');
    expect(reply.response).toMatch(/0\.4 dBTP/);
  });

  it("a review of the panel's meter figures stands alone: no ungrounded answer appended, confident from the figures", async () => {
    const reply = await ask({
      message: 'How does my mix measure up against Spotify right now?',
      daw_context: {
        metrics: {
          target: 'spotify',
          integrated_lufs: -18.2,
          true_peak_dbtp: -3.1,
          range_lu: 4.2,
          correlation: 0.6,
          measured_seconds: 20,
        },
      },
    });
    expect(reply.response).toContain('-18.2 LUFS');
    expect(reply.response).not.toMatch(/grounded answer|Drum panning/);
    expect(reply.confidence).toBeGreaterThanOrEqual(0.8);
  });

  it('says what it can do', async () => {
    const reply = await ask({ message: 'help' });
    expect(reply.response).toMatch(/knowledge entries/);
    expect(reply.response).toMatch(/loop bars/);
  });

  it('refuses an empty message naming the field', async () => {
    const res = await server.fetch('/codette/chat', postJson({ message: '   ' }));
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(await res.json()).error.message).toContain('message');
  });
});

describe('chat: delivery', () => {
  it('answers a retried request with the same stored answer and does not act twice', async () => {
    const headers = { 'idempotency-key': 'chat-retry-1' };
    const first = await ask({ message: 'tempo 97' }, headers);
    const revision = TransportState.parse((await server.json('/codette/status')).body).revision;
    const again = await ask({ message: 'tempo 97' }, headers);
    expect(again.message_id).toBe(first.message_id);
    expect(TransportState.parse((await server.json('/codette/status')).body).revision).toBe(revision);
    const { body } = await server.json<{ messages: unknown[] }>(`/codette/sessions/${first.session_id}/messages`);
    expect(body.messages).toHaveLength(2);
  });

  it('streams over HTTP as server-sent events: deltas, then the reply', async () => {
    const res = await server.fetch(
      '/codette/chat',
      postJson({ message: 'how do I make a vocal sit in the mix' }, { accept: 'text/event-stream' }),
    );
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => ({
      event: m[1],
      data: JSON.parse(m[2]!),
    }));
    expect(events[0]!.event).toBe('delta');
    expect(events.at(-1)!.event).toBe('reply');
    const reply = ChatResponse.parse(events.at(-1)!.data);
    expect(
      events
        .filter((e) => e.event === 'delta')
        .map((e) => e.data.text)
        .join(''),
    ).toBe(reply.response);
  });

  it("streams over the WebSocket: deltas then the reply with the request's id, then an ack; a resend is answered once", async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'chat', id: 'ws-chat-1', request: { message: 'how do I glue a drum bus' } });
    const delta = await socket.next('chat_delta', (m) => m.id === 'ws-chat-1');
    const reply = await socket.next('chat_reply', (m) => m.id === 'ws-chat-1');
    expect(reply.reply.response.startsWith(delta.delta.slice(0, 20))).toBe(true);
    expect(await socket.next('ack', (m) => m.id === 'ws-chat-1')).toMatchObject({ duplicate: false });
    socket.send({ type: 'chat', id: 'ws-chat-1', request: { message: 'how do I glue a drum bus' } });
    const again = await socket.next('chat_reply', (m) => m.id === 'ws-chat-1');
    expect(again.reply.message_id).toBe(reply.reply.message_id);
    expect(await socket.next('ack', (m) => m.id === 'ws-chat-1')).toMatchObject({ duplicate: true });
    socket.send({ type: 'feedback', id: 'ws-fb-1', feedback: { message_id: reply.reply.message_id, rating: 'up' } });
    expect(await socket.next('ack', (m) => m.id === 'ws-fb-1')).toMatchObject({ duplicate: false });
    socket.close();
  });
});

describe('suggestions', () => {
  it('ranks concrete suggestions for the context, each with the reason it applies', async () => {
    const { status, body } = await server.json(
      '/codette/suggest',
      postJson({ context: { track_type: 'vocal', stage: 'mixing' }, limit: 4 }),
    );
    expect(status).toBe(200);
    const { suggestions } = SuggestResponse.parse(body);
    expect(suggestions).toHaveLength(4);
    expect(suggestions.every((s) => /vocal/i.test(s.reason))).toBe(true);
    expect(suggestions.every((s, i) => i === 0 || s.confidence <= suggestions[i - 1]!.confidence)).toBe(true);
  });

  it('puts what the figures show first, citing them', async () => {
    const { body } = await server.json(
      '/codette/suggest',
      postJson({ context: { stage: 'mastering', track_type: 'master', metrics: { true_peak_dbtp: 0.8 } } }),
    );
    const first = SuggestResponse.parse(body).suggestions[0]!;
    expect(first.type).toBe('fix');
    expect(first.description).toContain('0.8 dBTP');
  });
});
