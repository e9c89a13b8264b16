/**
 * No secret in the repository or in the server's output:
 * - every file git tracks is scanned for service-role JWTs, private keys, Supabase secret keys and common API tokens,
 *   and no `.env` file (other than `.env.example`) is tracked;
 * - the real server process runs with CODETTE_TOKEN, Supabase-looking keys and an LLM API key in its environment at
 *   log level debug, is driven through routes and errors (401s, 404s, bad bodies, chat falling back from an LLM that
 *   echoes the key it was sent, the WebSocket with ?token=), and none of the secret values appears in its stdout or
 *   stderr, nor in any answer; start-up failures that name a Supabase setting do not print the key either.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths';
import { buildBundle, freePort, runServer, tempDir } from '../reliability/server-process';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
/** A JWT shaped like Supabase's keys, signed (HS256) with `secret`. */
function jwt(payload: Record<string, unknown>, secret: string): string {
  const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

describe('the repository', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);

  it('tracks no .env file but .env.example', () => {
    expect(files.length).toBeGreaterThan(100);
    const envFiles = files.filter((f) => /^\.env(\..*)?$/.test(basename(f)) && basename(f) !== '.env.example');
    expect(envFiles).toEqual([]);
  });

  it('holds no service-role JWT, private key, Supabase secret key or common API token in any tracked file', () => {
    const patterns: [string, RegExp][] = [
      ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----/],
      ['Supabase secret key', /\bsb_secret_[A-Za-z0-9_-]{20,}/],
      ['AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
      ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
      ['OpenAI-style key', /\bsk-(proj-)?[A-Za-z0-9_-]{32,}\b/],
      ['Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
    ];
    const findings: string[] = [];
    let scanned = 0;
    for (const file of files) {
      const path = join(PROJECT_ROOT, file);
      let text: string;
      try {
        if (statSync(path).size > 5_000_000) continue;
        text = readFileSync(path, 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      if (text.includes('\u0000')) continue; // binary
      scanned += 1;
      for (const [what, re] of patterns) if (re.test(text)) findings.push(`${file}: ${what}`);
      for (const m of text.matchAll(/\beyJ[A-Za-z0-9_-]{8,}\.(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]{8,}/g)) {
        try {
          const payload = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as { role?: unknown };
          if (payload.role === 'service_role') findings.push(`${file}: a JWT with role service_role`);
        } catch {
          /* not a JWT payload */
        }
      }
    }
    expect(scanned).toBeGreaterThan(100);
    expect(findings).toEqual([]);
  });
});

describe('the server output', () => {
  const jwtSecret = 'test-jwt-secret-0a9f8e7d6c5b4a39281706f5e4d3c2b1';
  const secrets = {
    CODETTE_TOKEN: 'codette-token-7d1c9e2b5a8f4e3d',
    SUPABASE_ANON_KEY: jwt({ iss: 'supabase', role: 'anon', ref: 'codettetest' }, jwtSecret),
    VITE_SUPABASE_ANON_KEY: jwt({ iss: 'supabase', role: 'anon', ref: 'codettevite' }, jwtSecret),
    SUPABASE_JWT_SECRET: jwtSecret,
    SUPABASE_SERVICE_ROLE_KEY: jwt({ iss: 'supabase', role: 'service_role', ref: 'codettetest' }, jwtSecret),
    CODETTE_LLM_API_KEY: 'llm-key-4f2a9c7e1b3d5f8a0c2e4b6d',
  };
  let bundle: string;
  let llm: Server;
  let llmUrl: string;
  const llmSaw: string[] = [];

  beforeAll(async () => {
    bundle = await buildBundle('secrets');
    // An OpenAI-compatible stand-in that refuses, echoing the Authorization it got: a careless error path would log it.
    llm = createServer((req, res) => {
      llmSaw.push(String(req.headers.authorization));
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `invalid api key: ${req.headers.authorization}` } }));
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', () => r()));
    llmUrl = `http://127.0.0.1:${(llm.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    rmSync(bundle, { force: true });
    await new Promise((r) => llm.close(r));
  });

  const leaks = (text: string, values: Record<string, string>) =>
    Object.entries(values)
      .filter(([, v]) => text.includes(v) || text.includes(Buffer.from(v).toString('base64')))
      .map(([k]) => k);

  it('a run with the token, Supabase-looking keys and an LLM key: no secret in stdout, stderr or any answer', async () => {
    const { SUPABASE_SERVICE_ROLE_KEY: _serviceKey, ...env } = secrets; // with the service key (and no URL) it would not start; see below
    const s = runServer(bundle, ['--port', String(await freePort()), '--data-dir', tempDir('codette-secrets-')], {
      ...env,
      CODETTE_LOG_LEVEL: 'debug',
      CODETTE_LLM_URL: llmUrl,
      CODETTE_LLM_TIMEOUT_MS: '3000',
    });
    const url = await s.ready();
    const auth = { authorization: `Bearer ${secrets.CODETTE_TOKEN}` };
    const answers: string[] = [];
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(url + path, init);
      answers.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
      return res.status;
    };
    const json = (body: unknown) => ({
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

    expect(await call('/health')).toBe(401); // no token
    expect(await call('/health', { headers: { authorization: `Bearer ${secrets.CODETTE_TOKEN}x` } })).toBe(401);
    expect(await call(`/health?token=${secrets.CODETTE_TOKEN}`)).toBe(401);
    expect(await call('/health', { headers: auth })).toBe(200);
    for (const path of [
      '/api/diagnostics/credentials',
      '/api/diagnostics/status',
      '/api/diagnostics/dependencies',
      '/api/diagnostics/performance',
      '/openapi.json',
      '/codette/export',
      '/codette/sessions',
    ]) {
      expect(await call(path, { headers: auth }), path).toBe(200);
    }
    expect(await call('/codette/nowhere', { headers: auth })).toBe(404);
    expect(await call('/codette/transport', json({ action: 'warp' }))).toBe(400);
    expect(
      await call('/codette/chat', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{"message":',
      }),
    ).toBe(400);
    // Chat goes to the LLM stand-in, which refuses and echoes the key: Codette falls back and says so.
    expect(await call('/codette/chat', json({ message: 'how do I compress a vocal' }))).toBe(200);
    expect(
      await call('/codette/chat', {
        ...json({ message: 'what reverb for a snare' }),
        headers: { ...auth, 'content-type': 'application/json', accept: 'text/event-stream' },
      }),
    ).toBe(200);
    expect(llmSaw.some((a) => a.includes(secrets.CODETTE_LLM_API_KEY))).toBe(true); // the key went where it belongs
    // A forged user token (Supabase mode is off, so it is ignored here, but it must not be logged either).
    expect(
      await call('/codette/sessions', { headers: { ...auth, 'x-supabase-access-token': secrets.SUPABASE_ANON_KEY } }),
    ).toBe(200);

    // The WebSocket with ?token=, a bad message, and a refused upgrade with a wrong token.
    const ws = new WebSocket(
      `${url.replace(/^http/, 'ws')}/ws?token=${secrets.CODETTE_TOKEN}&access_token=${secrets.SUPABASE_ANON_KEY}`,
    );
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.on('message', (d) => answers.push(String(d)));
    ws.send('{not json');
    ws.send(JSON.stringify({ type: 'chat', id: 'c1', request: { message: 'delay time for 128 bpm' } }));
    await new Promise((r) => setTimeout(r, 500));
    ws.close();
    const refused = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?token=${secrets.CODETTE_TOKEN.slice(0, -1)}`);
    await new Promise((r) => refused.once('error', r));

    const stopped = await s.kill('SIGTERM');
    expect(stopped.code).toBe(0);
    const output = s.stdout() + s.stderr();
    expect(output).toMatch(/"level":"warn".*llm fallback/); // the error path was taken and logged
    expect(leaks(output, secrets)).toEqual([]);
    expect(leaks(answers.join('\n'), secrets)).toEqual([]);
  }, 30_000);

  it('start-up failures about Supabase settings do not print the keys', async () => {
    const unreachable = runServer(
      bundle,
      ['--port', String(await freePort()), '--data-dir', tempDir('codette-secrets-')],
      {
        ...secrets,
        SUPABASE_URL: `http://127.0.0.1:${await freePort()}`,
        CODETTE_LOG_LEVEL: 'debug',
      },
    );
    const misconfigured = runServer(
      bundle,
      ['--port', String(await freePort()), '--data-dir', tempDir('codette-secrets-')],
      {
        SUPABASE_SERVICE_ROLE_KEY: secrets.SUPABASE_SERVICE_ROLE_KEY,
        SUPABASE_JWT_SECRET: secrets.SUPABASE_JWT_SECRET,
        CODETTE_LOG_LEVEL: 'debug',
      },
    );
    for (const s of [unreachable, misconfigured]) {
      const { code } = await s.exited;
      expect(code, s.stderr()).toBe(1);
      expect(s.stderr()).toMatch(/SUPABASE|Supabase/);
      expect(leaks(s.stdout() + s.stderr(), secrets)).toEqual([]);
    }
  }, 30_000);
});
