import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, type TestServer } from './helpers';
import { ChatResponse } from '../../shared/schemas/chat';
import { LlmStatus } from '../../shared/schemas/llm';

/** Stand-ins speaking each server's real API: Ollama (/api/tags, /api/chat as NDJSON) and OpenAI-compatible (/v1/models, SSE). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => resolve(raw));
  });
}
const seen: {
  server: string;
  body: { model: string; messages: { role: string; content: string }[]; stream: boolean };
}[] = [];

async function ollama(req: IncomingMessage, res: ServerResponse) {
  const raw = await readBody(req);
  if (req.method === 'GET' && req.url === '/api/tags') {
    return res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ models: [{ name: 'llama3.2:3b', model: 'llama3.2:3b', size: 2019393189 }] }));
  }
  if (req.method === 'POST' && req.url === '/api/chat') {
    seen.push({ server: 'ollama', body: JSON.parse(raw) });
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const t of ['Cut ', '2 dB ', 'at 300 Hz [mix.mud].']) {
      res.write(
        `${JSON.stringify({ model: 'llama3.2:3b', created_at: new Date().toISOString(), message: { role: 'assistant', content: t }, done: false })}\n`,
      );
      await new Promise((r) => setTimeout(r, 5));
    }
    return res.end(
      `${JSON.stringify({ model: 'llama3.2:3b', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' })}\n`,
    );
  }
  res.writeHead(404).end();
}

async function openaiCompatible(req: IncomingMessage, res: ServerResponse) {
  const raw = await readBody(req);
  if (req.method === 'GET' && req.url === '/v1/models') {
    return res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        object: 'list',
        data: [{ id: 'qwen2.5-7b-instruct', object: 'model', owned_by: 'organization_owner' }],
      }),
    );
  }
  if (req.method === 'POST' && req.url === '/v1/chat/completions') {
    seen.push({ server: 'openai', body: JSON.parse(raw) });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const t of ['High-pass ', 'the guitars [eq.electric-guitar].']) {
      res.write(
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: t }, finish_reason: null }] })}\n\n`,
      );
    }
    return res.end('data: [DONE]\n\n');
  }
  res.writeHead(404).end();
}

const servers: Server[] = [];
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

let server: TestServer;
let ollamaUrl: string;
let openaiUrl: string;
beforeAll(async () => {
  ollamaUrl = await listen((req, res) => void ollama(req, res));
  openaiUrl = await listen((req, res) => void openaiCompatible(req, res));
  server = await startTestServer({
    CODETTE_LLM_DETECT: `ollama@${ollamaUrl},openai@${openaiUrl}`,
    CODETTE_LLM_TIMEOUT_MS: '1500',
  });
});
afterAll(async () => {
  await server.close();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const status = async () => LlmStatus.parse((await server.json('/codette/llm')).body);
async function ask(message: string) {
  const res = await server.fetch('/codette/chat', postJson({ message }));
  expect(res.status).toBe(200);
  return ChatResponse.parse(await res.json());
}

describe('local models found without configuration', () => {
  it('finds Ollama and an OpenAI-compatible server on their APIs, lists their models, and uses the first found', async () => {
    let s = await status();
    for (let i = 0; i < 50 && !s.current; i++) {
      await new Promise((r) => setTimeout(r, 20));
      s = await status();
    }
    expect(s.servers.map((x) => [x.api, x.url, x.models])).toEqual([
      ['ollama', ollamaUrl, ['llama3.2:3b']],
      ['openai', openaiUrl, ['qwen2.5-7b-instruct']],
    ]);
    expect(s.current).toEqual({ url: ollamaUrl, model: 'llama3.2:3b', api: 'ollama', source: 'detected' });
  });

  it("streams a grounded answer from Ollama's /api/chat, with the retrieved entries in the prompt", async () => {
    const reply = await ask('my mix is muddy in the low mids');
    expect(reply.engine).toBe('llm:llama3.2:3b');
    expect(reply.response).toBe('Cut 2 dB at 300 Hz [mix.mud].');
    expect(reply.sources.length).toBeGreaterThan(0);
    const call = seen.findLast((c) => c.server === 'ollama')!;
    expect(call.body).toMatchObject({ model: 'llama3.2:3b', stream: true });
    expect(call.body.messages[0]!.content).toContain('Knowledge entries:');
  });

  it('answers with the model the user picks, and with the built-in engine when asked to', async () => {
    const picked = await server.json(
      '/codette/llm',
      postJson({ url: openaiUrl, model: 'qwen2.5-7b-instruct', api: 'openai' }),
    );
    expect(LlmStatus.parse(picked.body).current?.source).toBe('chosen');
    expect((await ask('how do i eq electric guitars')).response).toBe('High-pass the guitars [eq.electric-guitar].');
    await server.json('/codette/llm', postJson({ engine: 'local' }));
    expect((await ask('how do i eq electric guitars')).engine).toBe('local');
  });

  it('falls back to the built-in engine with the reason when the chosen server is gone', async () => {
    await server.json('/codette/llm', postJson({ url: 'http://127.0.0.1:9', model: 'gone', api: 'ollama' }));
    const reply = await ask('how should i compress a snare');
    expect(reply.engine).toBe('local');
    expect(reply.notice).toMatch(/not reachable/);
    expect(reply.response).toMatch(/Snare/);
  });

  it('refuses a choice without a model, naming the field', async () => {
    const res = await server.json<{ error: { message: string } }>('/codette/llm', postJson({ url: openaiUrl }));
    expect(res.status).toBe(400);
  });
});
