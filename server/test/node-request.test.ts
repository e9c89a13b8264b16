/** srvx still hands the Node request to the fetch handler where server/http/node-request.ts reads it. */
import { serve } from 'srvx';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeRequestOf, type NodeRequestView } from '../http/node-request';

describe("srvx's Node request", () => {
  const seen: (NodeRequestView | undefined)[] = [];
  const server = serve({
    port: 0,
    hostname: '127.0.0.1',
    silent: true,
    fetch(request) {
      seen.push(nodeRequestOf(request));
      return new Response('ok');
    },
  });
  afterAll(() => server.close(true));

  it('is there, with the raw target, parsed headers and raw headers (a duplicate Host stays visible)', async () => {
    await server.ready();
    const url = new URL(server.url!);
    const { request } = await import('node:http');
    await new Promise<void>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: '/health?probe=1', headers: { 'x-codette': 'yes' } },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end();
    });
    const node = seen.at(-1);
    expect(node).toBeDefined();
    expect(node!.url).toBe('/health?probe=1');
    expect(node!.headers['x-codette']).toBe('yes');
    expect(node!.rawHeaders).toContain('x-codette');
  });

  it('answers undefined for a plain Fetch Request (another runtime, or a srvx that moved it)', () => {
    expect(nodeRequestOf(new Request('http://localhost/health'))).toBeUndefined();
    const moved = Object.assign(new Request('http://localhost/'), { runtime: { node: { req: { url: '/' } } } });
    expect(nodeRequestOf(moved)).toBeUndefined();
  });
});
