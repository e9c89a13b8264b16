import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/helpers';

describe('GET /examples/web-daw', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('is one self-contained page whose two inline scripts are exactly the ones its CSP allows', async () => {
    const res = await server.fetch('/examples/web-daw');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[1]!.trim())).toEqual(['type="importmap"', 'type="module"']);
    for (const [, , code] of scripts)
      expect(csp).toContain(`'sha256-${createHash('sha256').update(code!).digest('base64')}'`);
    const importMap = JSON.parse(scripts[0]![2]!) as { imports: Record<string, string> };
    const client = Buffer.from(importMap.imports['@codette/client']!.split(',')[1]!, 'base64').toString('utf8');
    expect(client).toMatch(/createCodetteClient/);
    expect(scripts[1]![2]).toContain("from '@codette/client'");
    expect(html).not.toContain('src=');
  });
});
