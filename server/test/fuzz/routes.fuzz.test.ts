/**
 * Property-based fuzzing of every REST route, enumerated from server/routes/index.ts (a new route is fuzzed without
 * touching this file): bodies that nearly fit the route's zod schema and hostile ones (anything, wrong types, huge
 * strings, deep nesting, invalid UTF-8, truncated JSON, binary), random path parameters (traversal, binary, long),
 * random query strings, odd content types and headers, and every method on every path.
 *
 * Always: a status below 500; a 4xx is `{error: {code, message}}` JSON without a stack trace; nothing unexpected is
 * logged as an error; afterwards the server answers GET /health and no request is left in flight.
 *
 * FUZZ_RUNS=<n> sets the runs per route (default 60); FUZZ_SEED=<n> replays a seed printed by a failure.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../shared/schemas/errors';
import { COMMON_ERRORS } from '../../../shared/api/errors';
import { routes } from '../../routes/index';
import type { Route } from '../../http/route';
import { startTestServer, type TestServer } from '../helpers';
import { deepValue, hostileValue, invalidUtf8, jsonSchemaOf, nastyString, nearlyValid, pathParam } from './arbitraries';
import { headerSafe, pathSafe, rawRequest, type RawResponse } from './http-client';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const parserRefusals: number[] = [];
const STACK = /\bat .*\.(ts|js|mjs|cjs):\d+|node:internal/;

let server: TestServer;
beforeAll(async () => {
  // Rate limit off (thousands of requests from one client); the default 1 MB body limit stays.
  server = await startTestServer({ CODETTE_RATE_LIMIT: '0', CODETTE_LOG_LEVEL: 'warn', CODETTE_UPLOAD_LIMIT: '2mb' });
});
afterAll(() => server?.close());

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

/** Checks one answer; returns a description of what is wrong, or null. */
function problem(req: FuzzRequest, res: RawResponse): string | null {
  const text = res.body.toString('utf8');
  const where = `${req.method} ${req.path.slice(0, 200)} [${JSON.stringify(req.headers).slice(0, 300)}] body=${String(req.body ?? '').slice(0, 200)}`;
  if (res.status >= 500) return `${res.status} for ${where}: ${text.slice(0, 300)}`;
  // Node's HTTP parser refuses some requests before the app sees them (431: a URL or headers over 16 KB; 400: a
  // request it cannot parse), with an empty body and the connection closed. A 4xx, but not the app's JSON.
  if ((res.status === 431 || res.status === 400) && res.body.length === 0 && res.headers.connection === 'close') {
    parserRefusals.push(res.status);
    return null;
  }
  if (STACK.test(text)) return `stack trace in the answer to ${where}: ${text.slice(0, 300)}`;
  if (res.status >= 400) {
    if (req.method === 'HEAD') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return `${res.status} without a JSON body for ${where}: ${text.slice(0, 200)}`;
    }
    const shape = ErrorBody.safeParse(parsed);
    if (!shape.success) return `${res.status} body is not {error:{code,message}} for ${where}: ${text.slice(0, 200)}`;
  }
  if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream') && text.includes('internal_error')) {
    return `an internal_error event in the stream of ${where}: ${text.slice(0, 300)}`;
  }
  return null;
}

/** The error codes a route may answer by its contract: its own, the guard's, and the router's 404/405. */
function declaredCodes(route: Route): ReadonlySet<string> {
  return new Set([...route.endpoint.errors, ...COMMON_ERRORS, 'not_found', 'method_not_allowed']);
}

async function send(req: FuzzRequest, declared?: ReadonlySet<string>): Promise<void> {
  const res = await rawRequest(server.url, req);
  const p = problem(req, res);
  if (p) throw new Error(p);
  if (declared && res.status >= 400 && res.body.length > 0) {
    const code = ErrorBody.safeParse(JSON.parse(res.body.toString('utf8'))).data?.error.code;
    if (code && !declared.has(code))
      throw new Error(
        `${req.method} ${req.path.slice(0, 200)} answered ${res.status} ${code}, not in its contract's errors`,
      );
  }
}

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/vnd.codette+json',
      'APPLICATION/JSON',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=zzz',
      'audio/wav',
      'application/octet-stream',
      'application/json; charset=latin1',
    ),
  },
  { weight: 1, arbitrary: fc.constant('') },
);

/** JSON text of anything, '{}' for what JSON.stringify cannot take (cycles, 5000-deep values overflow its stack). */
function toJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '{}';
  }
}

/** The body bytes of a request to `route`: near-valid JSON, hostile JSON, or bytes that are not JSON at all. */
function bodyFor(route: Route): fc.Arbitrary<Uint8Array | string | undefined> {
  const bodySchema = route.endpoint.body?.json;
  const schema = bodySchema ? jsonSchemaOf(bodySchema) : undefined;
  const json = toJson;
  const kinds: { weight: number; arbitrary: fc.Arbitrary<Uint8Array | string | undefined> }[] = [
    { weight: 2, arbitrary: hostileValue.map(json) },
    { weight: 1, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => json(v).slice(0, -1)) }, // truncated JSON
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)) },
    { weight: 1, arbitrary: deepValue.map((v) => json({ message: v, context: v, action: v, tracks: v })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  ];
  if (schema) kinds.push({ weight: 8, arbitrary: nearlyValid(schema).map(json) });
  const props = Object.keys(schema?.properties ?? {});
  if (props.length) {
    // One field of an otherwise plausible body nested far deeper than JSON.stringify could write (built as text).
    const deepField = fc
      .tuple(fc.constantFrom(...props), fc.integer({ min: 5_000, max: 100_000 }), fc.boolean(), nearlyValid(schema))
      .map(([prop, depth, asArray, rest]) => {
        const deep = asArray
          ? '['.repeat(depth) + '1' + ']'.repeat(depth)
          : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
        const others = rest && typeof rest === 'object' && !Array.isArray(rest) ? json(rest).slice(1, -1) : '';
        return `{${others}${others ? ',' : ''}"${prop}":${deep}}`;
      });
    kinds.push({ weight: 1, arbitrary: deepField });
  }
  return fc.oneof(...kinds);
}

function requestFor(route: Route): fc.Arbitrary<FuzzRequest> {
  const paramNames = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const querySchema = route.endpoint.query ? jsonSchemaOf(route.endpoint.query) : undefined;
  const query = fc.oneof(
    querySchema ? nearlyValid(querySchema) : fc.constant({}),
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 10 }), nastyString),
      fc.oneof(fc.string({ maxLength: 30 }), nastyString),
      { maxKeys: 4 },
    ),
  );
  const headers = fc.record(
    {
      'content-type': contentType,
      'idempotency-key': fc.oneof(fc.uuid(), fc.string({ maxLength: 120 }), nastyString),
      accept: fc.constantFrom('text/event-stream', 'application/json', '*/*', 'text/html'),
      'x-supabase-access-token': fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.constant('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
      ),
      'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', '*'),
    },
    { requiredKeys: [] },
  );
  return fc
    .record({
      params: fc.tuple(...paramNames.map(() => fc.tuple(pathParam, fc.boolean()))),
      query,
      headers,
      body: bodyFor(route),
    })
    .map(({ params, query: q, headers: h, body }) => {
      let i = 0;
      // Each parameter percent-encoded, or sent nearly raw (slashes and dots kept: traversal reaches the router).
      const path = route.path.replace(/:\w+/g, () => {
        const [value, encode] = params[i++]!;
        return encode ? encodeURIComponent(value.toWellFormed()) : pathSafe(value) || 'x';
      });
      const search = new URLSearchParams();
      if (q && typeof q === 'object' && !Array.isArray(q)) {
        for (const [k, v] of Object.entries(q as Record<string, unknown>))
          search.append(k, typeof v === 'string' ? v : toJson(v));
      }
      const qs = search.toString();
      const safeHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(h)) {
        if (v === undefined) continue;
        const value = headerSafe(v);
        if (value) safeHeaders[k] = value;
      }
      const hasBody = body !== undefined && (route.method !== 'GET' || Math.random() < 0.1);
      return {
        method: route.method,
        path: qs ? `${path}?${qs}` : path,
        headers: safeHeaders,
        ...(hasBody ? { body } : {}),
      };
    });
}

/** fast-check's settings; a failure is reported short (the inputs can be megabytes) with the seed to replay it. */
const params = <T>(runs: number): fc.Parameters<T> => ({
  numRuns: runs,
  ...(SEED !== undefined ? { seed: SEED } : {}),
  reporter(details) {
    if (!details.failed) return;
    const example = JSON.stringify(details.counterexample, (_k, v: unknown) =>
      v instanceof Uint8Array ? `bytes(${Buffer.from(v).toString('hex').slice(0, 200)})` : v,
    );
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `${cause.slice(0, 1500)}\n  replay: FUZZ_SEED=${details.seed} (path ${details.counterexamplePath})\n  input: ${example?.slice(0, 1500)}`,
    );
  },
});

describe('every REST route under random input', () => {
  it('enumerates the routes (a new route is fuzzed automatically)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(27);
  });

  for (const route of routes) {
    it(`${route.method} ${route.path}: never a 5xx, every 4xx a JSON error with a code its contract lists`, async () => {
      // A path param sent raw may reach another route; the contract's error list is held only where it cannot.
      const declared = route.endpoint.params ? undefined : declaredCodes(route);
      await fc.assert(
        fc.asyncProperty(requestFor(route), (req) => send(req, declared)),
        params(RUNS),
      );
    }, 60_000);
  }

  it('any method on any route path: 2xx, 404 or 405 in JSON, never a 5xx', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD');
    const path = fc.oneof(
      fc.constantFrom(...routes.map((r) => r.path.replace(/:\w+/g, 'x'))),
      fc
        .array(
          fc.oneof(
            pathParam.map((p) => encodeURIComponent(p.toWellFormed())),
            fc.constantFrom('..', '.', '%2e%2e', '%2f', '', 'codette', 'api', 'ws'),
          ),
          { minLength: 1, maxLength: 6 },
        )
        .map((s) => '/' + s.join('/')),
    );
    await fc.assert(
      fc.asyncProperty(method, path, async (m, p) => {
        const headers: Record<string, string> =
          m === 'OPTIONS' ? { origin: 'chrome-extension://fuzz', 'access-control-request-method': 'POST' } : {};
        await send({ method: m, path: p, headers });
      }),
      params(RUNS * 4),
    );
  }, 60_000);

  it('afterwards: the server answers /health, logged no unexpected error, and holds no request in flight', async () => {
    const health = await server.fetch('/health');
    expect(health.status).toBe(200);
    const unexpected = server.logLines.filter((l) => /"level":"error"/.test(l));
    console.log(`route fuzz: ${parserRefusals.length} requests refused by the HTTP parser before the app (431/400)`);
    expect(unexpected, unexpected.slice(0, 5).join('\n')).toEqual([]);
    expect(server.services.metrics.inFlight).toBeLessThanOrEqual(1); // the /health above may still be counted
  });
});
