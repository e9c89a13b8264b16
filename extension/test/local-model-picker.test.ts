import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import LocalModelPicker from '../components/LocalModelPicker.vue';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/paths';

/**
 * The real Codette server in its own Node process (this file's DOM replaces fetch with a page's), probing a stand-in
 * that speaks the OpenAI-compatible GET /v1/models of LM Studio. The options page is an extension page: plain HTTP
 * stands for its fetch, which a web page's CORS rules do not bind.
 */
let models: Server;
let codette: ChildProcess;
let serverUrl: string;
let modelsUrl: string;
beforeAll(async () => {
  models = createServer((req, res) => {
    if (req.url === '/v1/models')
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', data: [{ id: 'qwen2.5-7b-instruct', object: 'model' }] }));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => models.listen(0, '127.0.0.1', () => r()));
  modelsUrl = `http://127.0.0.1:${(models.address() as AddressInfo).port}`;
  codette = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      CODETTE_PORT: '0',
      CODETTE_DATA_DIR: mkdtempSync(join(tmpdir(), 'codette-picker-')),
      CODETTE_LOG_LEVEL: 'silent',
      CODETTE_LLM_DETECT: `openai@${modelsUrl}`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  serverUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    codette.stdout!.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    codette.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}, 30_000);
afterAll(async () => {
  codette.kill('SIGTERM');
  await new Promise((r) => codette.once('exit', r));
  await new Promise((r) => models.close(r));
});

const nodeFetch = ((input: string, init: RequestInit = {}) =>
  new Promise((resolve, reject) => {
    const req = request(
      input,
      { method: init.method ?? 'GET', headers: init.headers as Record<string, string> },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () =>
          resolve({ ok: (res.statusCode ?? 500) < 400, status: res.statusCode, json: async () => JSON.parse(body) }),
        );
      },
    );
    req.on('error', reject);
    req.end(typeof init.body === 'string' ? init.body : undefined);
  })) as unknown as typeof fetch;
const llmStatus = async () =>
  (await (await nodeFetch(`${serverUrl}/codette/llm`)).json()) as {
    engine: string;
    current: { model: string; source: string } | null;
  };

describe('options: the local model picker', () => {
  it('lists the models the server finds, and picking one makes it answer; the built-in engine is one click back', async () => {
    const w = mount(LocalModelPicker, { props: { serverUrl, fetcher: nodeFetch } });
    for (let i = 0; i < 50 && !w.text().includes('qwen'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      await flushPromises();
    }
    const options = w.findAll('[data-testid=model-choice] option').map((o) => o.text());
    expect(options).toEqual(['localModelBuiltin', `${modelsUrl}: qwen2.5-7b-instruct`]);
    await w.get('[data-testid=model-choice]').setValue(w.findAll('option')[1]!.element.value);
    for (let i = 0; i < 50 && (await llmStatus()).current?.source !== 'chosen'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await llmStatus()).current).toMatchObject({ model: 'qwen2.5-7b-instruct', source: 'chosen' });
    await w.get('[data-testid=model-choice]').setValue('local');
    await flushPromises();
    for (let i = 0; i < 50 && (await llmStatus()).current !== null; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await llmStatus()).engine).toBe('local');
    w.unmount();
  });

  it('says when the Codette server cannot be reached', async () => {
    const w = mount(LocalModelPicker, { props: { serverUrl: 'http://127.0.0.1:9', fetcher: nodeFetch } });
    for (let i = 0; i < 50 && !w.find('[data-testid=model-problem]').exists(); i++) {
      await new Promise((r) => setTimeout(r, 20));
      await flushPromises();
    }
    expect(w.get('[data-testid=model-problem]').text()).toBe('localModelUnreachable');
    w.unmount();
  });
});
