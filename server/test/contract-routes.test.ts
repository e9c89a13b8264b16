import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, endpoints } from '../../shared/api/index';
import { MessagePage } from '../../shared/api/history';
import { ErrorBody } from '../../shared/schemas/errors';
import { LOCAL_USER_ID } from '../users';
import { postJson, startTestServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CODETTE_RATE_LIMIT: '0' });
});
afterAll(() => server.close());

async function sessionWith(count: number): Promise<string> {
  const session = await server.services.store.createSession(LOCAL_USER_ID, { title: 'paging' });
  for (let i = 0; i < count; i++) {
    await server.services.store.appendMessage(LOCAL_USER_ID, {
      session_id: session.id,
      role: i % 2 ? 'assistant' : 'user',
      content: `message ${i}`,
    });
  }
  return session.id;
}

describe("a session's messages come in pages", () => {
  it('limit, then after=next_after, until next_after is null: every message once, oldest first', async () => {
    const id = await sessionWith(7);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const query: string = after ? `?limit=3&after=${after}` : '?limit=3';
      const { status, body } = await server.json(`/codette/sessions/${id}/messages${query}`);
      expect(status).toBe(200);
      const page = MessagePage.parse(body);
      seen.push(...page.messages.map((m) => m.content));
      after = page.next_after;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `message ${i}`));
  });

  it('without a limit, one page holds a whole ordinary session and says there is no more', async () => {
    const id = await sessionWith(4);
    const page = MessagePage.parse((await server.json(`/codette/sessions/${id}/messages`)).body);
    expect(page.messages).toHaveLength(4);
    expect(page.next_after).toBeNull();
  });

  it('a bad cursor or limit is a 400 naming the field', async () => {
    const id = await sessionWith(1);
    for (const [query, field] of [
      ['?after=%21%21%21', 'after'],
      ['?after=AAAAAAAAAAAA', 'after'],
      ['?limit=0', 'limit'],
    ] as const) {
      const { status, body } = await server.json(`/codette/sessions/${id}/messages${query}`);
      expect(status, query).toBe(400);
      expect(ErrorBody.parse(body).error.message, query).toContain(field);
    }
  });
});

describe('validation comes from the contract', () => {
  it('a path param out of shape is a 400 naming it, before the handler runs', async () => {
    const { status, body } = await server.json('/codette/sessions/not-a-uuid', { method: 'DELETE' });
    expect(status).toBe(400);
    expect(ErrorBody.parse(body).error).toMatchObject({ code: 'invalid_request' });
    expect(ErrorBody.parse(body).error.message).toContain('Invalid params: id');
  });

  it('a header the contract reads is validated like the rest: a bad Idempotency-Key is a 400 naming it', async () => {
    const long = 'k'.repeat(101);
    const chat = await server.json('/codette/chat', postJson({ message: 'hi' }, { 'idempotency-key': long }));
    const transport = await server.json(
      '/codette/transport',
      postJson({ action: 'play' }, { 'idempotency-key': long }),
    );
    for (const { status, body } of [chat, transport]) {
      expect(status).toBe(400);
      expect(ErrorBody.parse(body).error.message).toContain('Invalid headers: idempotency-key');
    }
    const first = await server.json('/transport/stop', postJson({}, { 'idempotency-key': 'stop-1' }));
    const again = await server.json('/transport/stop', postJson({}, { 'idempotency-key': 'stop-1' }));
    expect([first.body, again.body]).toMatchObject([{ duplicate: false }, { duplicate: true }]);
  });

  it("path params named by the contract's fromParams join the JSON body (POST /transport/:action)", async () => {
    const ok = await server.json('/transport/tempo', postJson({ bpm: 97 }));
    expect(ok.status).toBe(200);
    expect(((await server.json('/transport/status')).body as { bpm: number }).bpm).toBe(97);
    const bad = await server.json('/transport/dance', postJson({}));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('action');
  });

  it('an endpoint taking JSON or an upload reads JSON by its Content-Type and refuses a body without one', async () => {
    const json = await server.json('/api/analysis/detect-genre', postJson({ tempo_bpm: 174 }));
    expect(json.status).toBe(200);
    const typo = await server.json('/api/analysis/detect-genre', postJson({ tempo: 174 }));
    expect(typo.status).toBe(400);
    const untyped = await server.fetch('/api/analysis/detect-genre', { method: 'POST', body: new Uint8Array([1, 2]) });
    expect(untyped.status).toBe(415);
  });
});

/** Parses a Server-Sent Events body into its events. */
function sseEvents(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) as unknown };
    });
}

describe("the server's answers fit the contract's schemas", () => {
  const plainGets = endpoints.filter(
    (e) => e.method === 'GET' && !e.params && (!e.query || e.query.safeParse({}).success),
  );

  it.each(plainGets.map((e) => [e.name, e] as const))('%s', async (_name, endpoint) => {
    const res = await server.fetch(endpoint.path);
    expect(res.status).toBe(200);
    if (endpoint.answer === 'html') {
      expect(res.headers.get('content-type')).toContain('text/html');
      return;
    }
    const parsed = endpoint.responses[200].safeParse(await res.json());
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
  });

  it('a streamed chat answer is a sequence of the events the contract names, ending with a final one', async () => {
    const endpoint = api['chat.send'];
    const res = await server.fetch(endpoint.path, {
      ...postJson({ message: 'how do I compress a lead vocal' }),
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseEvents(await res.text());
    expect(events.length).toBeGreaterThan(1);
    for (const { event, data } of events) {
      const schema = endpoint.sse.events[event as keyof typeof endpoint.sse.events];
      expect(schema, event).toBeDefined();
      expect(schema.safeParse(data).success, event).toBe(true);
    }
    expect(endpoint.sse.final).toContain(events.at(-1)!.event);
    expect(events.at(-1)!.event).toBe('reply');
  });
});
