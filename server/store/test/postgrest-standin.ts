/**
 * A small, faithful stand-in for what the Supabase store needs from a hosted project: Kong's API-key check and
 * PostgREST's `POST /rest/v1/rpc/<fn>`, in front of PGlite.
 *
 * Like Kong: the `apikey` header must be a key of this project (a JWT signed with the project secret), else 401.
 * Like PostgREST (v12):
 *  - `Authorization: Bearer <jwt>` is verified with the JWT secret (HS256, exp checked); no header = role anon;
 *  - per request, one transaction: `set_config('role', <claims.role>, true)`,
 *    `set_config('request.jwt.claims', <claims json>, true)`, request.method/path/headers;
 *  - the function is found in pg_proc (schema public) by name and argument names (overloads resolved by the JSON
 *    body's keys, defaults allowed), arguments are typed through `json_to_record` with the declared types;
 *  - set-returning or composite results answer a JSON array, scalar results the JSON value itself;
 *  - errors answer `{code, message, details, hint}` with PostgREST's SQLSTATE → HTTP status table
 *    (42501 → 401 for anon / 403 otherwise, 23503/23505 → 409, P0001 → 400, other P0 → 500, 42883 → 404, ...).
 * Not covered (the store does not use them): table endpoints (/rest/v1/<table>), GET rpc, Prefer headers,
 * Content-Range counts, schema switching, JWT aud/role-claim-key configuration.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { PGlite } from '@electric-sql/pglite';

export interface StandIn {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  /** Requests answered, by function name (for tests that check batching). */
  calls: Map<string, number>;
  close(): Promise<void>;
}

interface FnInfo {
  name: string;
  retset: boolean;
  rettype_kind: string; // pg_type.typtype: 'c' composite, 'b' base, 'p' pseudo...
  args: { name: string; type: string; has_default: boolean }[];
}

export async function mintKey(secret: string, role: 'anon' | 'service_role'): Promise<string> {
  return new SignJWT({ role, iss: 'supabase-demo' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('10y')
    .sign(new TextEncoder().encode(secret));
}

function pgrstStatus(code: string, role: string): number {
  if (code === '42501') return role === 'anon' ? 401 : 403;
  if (code === '23503' || code === '23505') return 409;
  if (code === 'P0001') return 400;
  if (code === '42883' || code === '42P01') return 404;
  if (code === '25006') return 405;
  if (/^(08|53)/.test(code)) return 503;
  if (/^(09|0L|0P|28)/.test(code)) return code.startsWith('09') ? 500 : 403;
  if (/^(25|2D|38|39|3B|40|54|55|57|58|F0|HV|P0|XX|42P17)/.test(code)) return 500;
  return 400;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startPostgrestStandIn(
  db: PGlite,
  jwtSecret = 'super-secret-jwt-token-with-at-least-32-characters-long',
): Promise<StandIn> {
  const key = new TextEncoder().encode(jwtSecret);
  const anonKey = await mintKey(jwtSecret, 'anon');
  const serviceRoleKey = await mintKey(jwtSecret, 'service_role');
  const calls = new Map<string, number>();
  const fnCache = new Map<string, FnInfo[]>();

  async function functionsNamed(name: string): Promise<FnInfo[]> {
    const cached = fnCache.get(name);
    if (cached) return cached;
    const { rows } = await db.query<{
      retset: boolean;
      typtype: string;
      names: string[] | null;
      modes: string[] | null;
      types: string[];
      ndefaults: number;
    }>(
      `select p.proretset as retset, t.typtype, p.proargnames as names, p.proargmodes::text[] as modes,
              array(select format_type(x, null) from unnest(p.proargtypes) as x) as types, p.pronargdefaults as ndefaults
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_type t on t.oid = p.prorettype
       where n.nspname = 'public' and p.proname = $1`,
      [name],
    );
    const infos = rows.map((r): FnInfo => {
      const inNames = (r.names ?? []).filter((_, i) => !r.modes || ['i', 'b', 'v'].includes(r.modes[i] ?? 'i'));
      return {
        name,
        retset: r.retset,
        rettype_kind: r.typtype,
        args: r.types.map((type, i) => ({
          name: inNames[i] ?? `$${i + 1}`,
          type,
          has_default: i >= r.types.length - r.ndefaults,
        })),
      };
    });
    fnCache.set(name, infos);
    return infos;
  }

  async function claimsOf(
    req: IncomingMessage,
  ): Promise<{ claims: JWTPayload | null; role: string } | { status: number; body: object }> {
    const apikey = req.headers['apikey'];
    if (typeof apikey !== 'string' || apikey === '')
      return { status: 401, body: { message: 'No API key found in request' } };
    try {
      await jwtVerify(apikey, key, { algorithms: ['HS256'] });
    } catch {
      return { status: 401, body: { message: 'Invalid API key' } };
    }
    const auth = req.headers['authorization'];
    if (!auth) return { claims: null, role: 'anon' };
    const m = /^Bearer (\S+)$/i.exec(auth);
    if (!m?.[1])
      return {
        status: 401,
        body: { code: 'PGRST301', message: 'No suitable key or wrong key type', details: null, hint: null },
      };
    try {
      const { payload } = await jwtVerify(m[1], key, { algorithms: ['HS256'] });
      const role = typeof payload.role === 'string' ? payload.role : 'anon';
      return { claims: payload, role };
    } catch (e) {
      const expired = (e as { code?: string }).code === 'ERR_JWT_EXPIRED';
      return {
        status: 401,
        body: {
          code: expired ? 'PGRST303' : 'PGRST301',
          message: expired ? 'JWT expired' : 'JWSError JWSInvalidSignature',
          details: null,
          hint: null,
        },
      };
    }
  }

  async function handle(req: IncomingMessage): Promise<{ status: number; body: string }> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/rest\/v1\/rpc\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(url.pathname);
    if (!m?.[1] || req.method !== 'POST') {
      return {
        status: 404,
        body: JSON.stringify({
          code: 'PGRST125',
          message: `Invalid path ${url.pathname} (the stand-in serves POST /rest/v1/rpc/<fn> only)`,
          details: null,
          hint: null,
        }),
      };
    }
    const fn = m[1];
    const who = await claimsOf(req);
    if ('status' in who) return { status: who.status, body: JSON.stringify(who.body) };
    let args: Record<string, unknown>;
    try {
      const text = await readBody(req);
      const parsed: unknown = text === '' ? {} : JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('body must be a JSON object');
      args = parsed as Record<string, unknown>;
    } catch (e) {
      return {
        status: 400,
        body: JSON.stringify({
          code: 'PGRST102',
          message: `Empty or invalid json: ${(e as Error).message}`,
          details: null,
          hint: null,
        }),
      };
    }
    const keys = Object.keys(args);
    const candidates = (await functionsNamed(fn)).filter(
      (f) =>
        keys.every((k) => f.args.some((a) => a.name === k)) &&
        f.args.every((a) => a.has_default || keys.includes(a.name)),
    );
    const target = candidates[0];
    if (!target) {
      return {
        status: 404,
        body: JSON.stringify({
          code: 'PGRST202',
          message: `Could not find the function public.${fn}(${keys.sort().join(', ')}) in the schema cache`,
          details: null,
          hint: null,
        }),
      };
    }
    calls.set(fn, (calls.get(fn) ?? 0) + 1);
    const used = target.args.filter((a) => keys.includes(a.name));
    const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
    const from = used.length
      ? `json_to_record($1::json) as _(${used.map((a) => `${ident(a.name)} ${a.type}`).join(', ')})`
      : `(select $1::json) as _(unused)`;
    const call = `public.${ident(fn)}(${used.map((a) => `${ident(a.name)} := _.${ident(a.name)}`).join(', ')})`;
    const sql =
      target.retset || target.rettype_kind === 'c'
        ? `select coalesce(json_agg(r), '[]'::json)::text as body from ${from}, lateral ${call} as r`
        : `select to_json(${call})::text as body from ${from}`;
    const claimsJson = JSON.stringify(who.claims ?? { role: who.role });
    try {
      const body = await db.transaction(async (tx) => {
        await tx.query(
          `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
                  set_config('request.method', 'POST', true), set_config('request.path', $3, true),
                  set_config('request.headers', $4, true)`,
          [who.role, claimsJson, url.pathname, JSON.stringify({ 'content-type': req.headers['content-type'] ?? null })],
        );
        const r = await tx.query<{ body: string | null }>(sql, [JSON.stringify(args)]);
        return r.rows[0]?.body ?? 'null';
      });
      return { status: 200, body };
    } catch (e) {
      const err = e as { code?: string; message?: string; detail?: string; hint?: string };
      const code = err.code ?? 'XX000';
      return {
        status: pgrstStatus(code, who.role),
        body: JSON.stringify({
          code,
          message: err.message ?? String(e),
          details: err.detail ?? null,
          hint: err.hint ?? null,
        }),
      };
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req).then(
      ({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(body);
      },
      (e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ code: 'XX000', message: String(e), details: null, hint: null }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    anonKey,
    serviceRoleKey,
    jwtSecret,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
