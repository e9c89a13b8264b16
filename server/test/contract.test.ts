import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api, socket } from '../../shared/api/index';
import { defineEndpoint } from '../../shared/api/define';
import { COMMON_ERRORS, ERROR_STATUS } from '../../shared/api/errors';
import { UPLOAD_TYPES } from '../../shared/api/files';
import { ACCEPTED_TYPES } from '../files/file-types';
import { implement } from '../http/route';
import { buildOpenApi } from '../openapi';
import { renderDocsPage } from '../docs-page';
import { routes } from '../routes/index';
import { checkRoutes, loadRouteFiles, routeFileFor, type RouteFile } from './contract-check';

const ROUTES_DIR = join(import.meta.dirname, '../routes');

describe('the route files, the mounted routes and the contract', () => {
  it('agree: every route has a contract entry and the file its path names, every entry a route', async () => {
    const files = await loadRouteFiles(ROUTES_DIR);
    expect(files.length).toBe(Object.keys(api).length);
    expect(checkRoutes({ files, table: routes, contract: api })).toEqual([]);
  });

  it('maps a contract path and method to its file name', () => {
    expect(routeFileFor({ method: 'GET', path: '/' })).toBe('index.get.ts');
    expect(routeFileFor({ method: 'GET', path: '/openapi.json' })).toBe('openapi.json.get.ts');
    expect(routeFileFor({ method: 'DELETE', path: '/codette/sessions/:id' })).toBe('codette/sessions/[id].delete.ts');
    expect(routeFileFor({ method: 'GET', path: '/codette/sessions/:id/messages' })).toBe(
      'codette/sessions/[id]/messages.get.ts',
    );
  });
});

describe('the checker reports each kind of disagreement', () => {
  const health = routes.find((r) => r.endpoint === api['service.health'])!;
  const sessions = routes.find((r) => r.endpoint === api['sessions.list'])!;
  const contract = { 'service.health': api['service.health'], 'sessions.list': api['sessions.list'] };
  const goodFiles: RouteFile[] = [
    { file: 'health.get.ts', route: health },
    { file: 'codette/sessions.get.ts', route: sessions },
  ];

  it('accepts a small table that agrees (so the failures below come from the fault put in)', () => {
    expect(checkRoutes({ files: goodFiles, table: [health, sessions], contract })).toEqual([]);
  });

  it('a route that exists without a contract entry', () => {
    const stray = implement(
      defineEndpoint({
        name: 'stray.route',
        method: 'GET',
        path: '/stray',
        summary: 'not in the contract',
        tag: 'test',
        responses: { 200: z.object({ ok: z.boolean() }) },
        errors: [],
      }),
      () => ({ ok: true }),
    );
    const problems = checkRoutes({
      files: [...goodFiles, { file: 'stray.get.ts', route: stray }],
      table: [health, sessions, stray],
      contract,
    });
    expect(problems).toEqual(["GET /stray: no contract entry (stray.route is not in shared/api's api record)"]);
  });

  it('a contract entry that has no route', () => {
    const problems = checkRoutes({ files: [goodFiles[0]!], table: [health], contract });
    expect(problems).toEqual([
      'sessions.list: contract entry GET /codette/sessions has no route (codette/sessions.get.ts)',
    ]);
  });

  it("a route file whose name disagrees with its contract's path or method", () => {
    const wrongPath = checkRoutes({
      files: [goodFiles[0]!, { file: 'codette/history.get.ts', route: sessions }],
      table: [health, sessions],
      contract,
    });
    expect(wrongPath).toEqual([
      'codette/history.get.ts: holds GET /codette/sessions (sessions.list), which belongs in codette/sessions.get.ts',
    ]);
    const wrongMethod = checkRoutes({
      files: [{ file: 'health.post.ts', route: health }, goodFiles[1]!],
      table: [health, sessions],
      contract,
    });
    expect(wrongMethod).toEqual(['health.post.ts: holds GET /health (service.health), which belongs in health.get.ts']);
  });

  it('a route file not mounted, and a mounted route from no file', () => {
    expect(checkRoutes({ files: goodFiles, table: [health], contract })).toEqual([
      'codette/sessions.get.ts: not listed in server/routes/index.ts',
      'sessions.list: contract entry GET /codette/sessions has no route (codette/sessions.get.ts)',
    ]);
    expect(checkRoutes({ files: [goodFiles[0]!], table: [health, sessions], contract })).toEqual([
      'GET /codette/sessions: mounted but defined in no route file',
    ]);
  });

  it('a route file that is not bound to the contract', () => {
    const problems = checkRoutes({
      files: [...goodFiles, { file: 'legacy.get.ts', route: { method: 'GET', path: '/legacy' } }],
      table: [health, sessions],
      contract,
    });
    expect(problems).toEqual([
      'legacy.get.ts: its default export is not a route (bind it with implement(api[...], handler))',
    ]);
  });
});

describe('defineEndpoint', () => {
  it("refuses a params schema that does not match the path's params", () => {
    const spec = {
      name: 'x.get',
      method: 'GET',
      path: '/x/:id',
      summary: 's',
      tag: 't',
      params: z.object({ key: z.string() }),
      responses: { 200: z.object({}) },
      errors: [],
    } as const;
    // @ts-expect-error the params schema must have one key per path param (`id`), checked by the compiler too
    expect(() => defineEndpoint(spec)).toThrow('path /x/:id has params [id] but its params schema has [key]');
  });
});

// Compile-time checks: `npm run typecheck` fails if the contract stops constraining handlers.
export const typeChecks = [
  // @ts-expect-error the answer must fit the 200 schema (Health)
  implement(api['service.health'], () => ({ status: 'fine' })),
  // @ts-expect-error a JSON endpoint may not answer a raw Response
  implement(api['cache.stats'], () => new Response('{}')),
  // @ts-expect-error `limit` is a number once the contract's query schema has parsed it
  implement(api['sessions.list'], ({ query }) => ({ sessions: [], next_before: query.limit satisfies string })),
  implement(api['service.docs'], () => new Response('<p>an html endpoint may</p>')),
];

describe('the OpenAPI document and /docs come from the contract', () => {
  const doc = buildOpenApi('test') as {
    paths: Record<
      string,
      Record<string, { operationId: string; responses: Record<string, { 'x-error-codes'?: string[] }> }>
    >;
  };
  const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops));

  it('has one operation per contract entry, named by it', () => {
    expect(operations.map((o) => o.operationId).sort()).toEqual(Object.keys(api).sort());
  });

  it("lists every error code of each endpoint under its status, with the guard's", () => {
    for (const endpoint of Object.values(api)) {
      const op = doc.paths[endpoint.path.replace(/:(\w+)/g, '{$1}')]![endpoint.method.toLowerCase()]!;
      for (const code of [...endpoint.errors, ...COMMON_ERRORS]) {
        expect(op.responses[ERROR_STATUS[code]]?.['x-error-codes'], `${endpoint.name} ${code}`).toContain(code);
      }
    }
  });

  it('describes uploads and event streams as such', () => {
    const audio = doc.paths['/api/analyze/audio']!.post as unknown as {
      requestBody: { content: Record<string, unknown> };
      responses: { 200: { content: Record<string, { 'x-sse-events'?: Record<string, unknown> }> } };
    };
    expect(Object.keys(audio.requestBody.content)).toEqual(['audio/wav', 'multipart/form-data']);
    expect(Object.keys(audio.responses[200].content['text/event-stream']!['x-sse-events']!)).toEqual([
      'progress',
      'report',
      'error',
    ]);
  });

  it('renders every operation and every socket message in /docs', () => {
    const html = renderDocsPage(buildOpenApi('test'));
    for (const name of Object.keys(api)) expect(html).toContain(`>${name}<`);
    for (const type of Object.keys(socket.replies)) expect(html).toContain(`<tr><td><code>${type}</code></td>`);
  });
});

describe('the contract and the server agree on details', () => {
  it('the upload types are the ones the server accepts', () => {
    expect([...UPLOAD_TYPES].sort()).toEqual([...ACCEPTED_TYPES].sort());
  });
});
