import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, TestSocket, type TestServer } from './helpers';
import { ChatResponse } from '../../shared/schemas/chat';

/**
 * A small stand-in for Ollama / LM Studio / llama.cpp's server: POST /v1/chat/completions with stream: true answers
 * server-sent events in the OpenAI format. Its behaviour is switched per test.
 */
type Mode = 'ok' | 'error' | 'slow' | 'empty' | 'garbage';
let mode: Mode = 'ok';
let lastBody: { model: string; messages: { role: string; content: string }[]; stream: boolean } | undefined;
const TOKENS = ['Cut ', '2 dB ', 'at 300 Hz ', '[eq.range.low-mids-mud].'];

function handler(req: IncomingMessage, res: ServerResponse) {
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', async () => {
    lastBody = JSON.parse(raw);
    if (req.url !== '/v1/chat/completions') return res.writeHead(404).end();
    if (mode === 'error')
      return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"model not loaded"}');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (mode === 'slow') return; // never answers: the engine's deadline must fire
    if (mode === 'garbage') return res.end('data: {not json\n\n');
    const tokens = mode === 'empty' ? [] : TOKENS;
    for (const t of tokens) {
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: t } }] })}\n\n`);
      await new Promise((r) => setTimeout(r, 5));
    }
    res.end('data: [DONE]\n\n');
  });
}

let llm: Server;
let server: TestServer;
beforeAll(async () => {
  llm = createServer(handler);
  await new Promise<void>((r) => llm.listen(0, '127.0.0.1', () => r()));
  server = await startTestServer({
    CODETTE_LLM_URL: `http://127.0.0.1:${(llm.address() as AddressInfo).port}`,
    CODETTE_LLM_MODEL: 'tiny-test-model',
    CODETTE_LLM_TIMEOUT_MS: '900',
  });
});
afterAll(async () => {
  await server.close();
  llm.closeAllConnections();
  await new Promise((r) => llm.close(r));
});

async function ask(message: string, extra: Record<string, unknown> = {}) {
  const res = await server.fetch('/codette/chat', postJson({ message, ...extra }));
  expect(res.status).toBe(200);
  return ChatResponse.parse(await res.json());
}

describe('with a local LLM configured', () => {
  it("streams the model's tokens, grounded in the retrieved knowledge and the DAW context, and still cites sources", async () => {
    mode = 'ok';
    const reply = await ask('my mix is muddy in the low mids', { daw_context: { bpm: 92, genre: 'lo-fi hip hop' } });
    expect(reply.engine).toBe('llm:tiny-test-model');
    expect(reply.response).toBe(TOKENS.join(''));
    expect(reply.sources.length).toBeGreaterThan(0);
    const system = lastBody!.messages[0]!.content;
    expect(lastBody!.stream).toBe(true);
    expect(system).toContain(`[${reply.sources[0]!.id}]`);
    expect(system).toContain('lo-fi hip hop');
  });

  it('streams the tokens as WebSocket deltas', async () => {
    mode = 'ok';
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'chat', id: 'llm-ws-1', request: { message: 'how do I clean up a muddy mix' } });
    const reply = await socket.next('chat_reply', (m) => m.id === 'llm-ws-1');
    const deltas = socket.received
      .filter((m) => m.type === 'chat_delta' && m.id === 'llm-ws-1')
      .map((m) => (m as { delta: string }).delta);
    expect(deltas).toEqual(TOKENS);
    expect(reply.reply.engine).toBe('llm:tiny-test-model');
    socket.close();
  });

  for (const [failure, expected] of [
    ['error', /answered 500/],
    ['slow', /in time/],
    ['empty', /empty answer/],
    ['garbage', /unreadable/],
  ] as const) {
    it(`falls back to the local engine and says so when the model is ${failure}`, async () => {
      mode = failure;
      const reply = await ask('how do I compress a bass guitar');
      expect(reply.engine).toBe('local');
      expect(reply.notice).toMatch(expected);
      expect(reply.sources.length).toBeGreaterThan(0);
      expect(reply.response).toMatch(/bass/i);
    });
  }

  it('answers commands itself, without asking the model', async () => {
    mode = 'error';
    const reply = await ask('metronome on');
    expect(reply.actions).toEqual([{ action: 'metronome', enabled: true }]);
    expect(reply.notice).toBeUndefined();
  });
});
