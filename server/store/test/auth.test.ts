/** Verifying Supabase access tokens: HS256 with the project secret, or asymmetric keys from the JWKS URL. */
import { toApiError } from '../../http/errors';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, bearerToken, createAccessTokenVerifier } from '../auth';

const SECRET = 'test-secret-with-at-least-thirty-two-characters!!';
const USER = '6a1e2c3d-4b5a-4c6d-8e7f-901234567890';
let jwksServer: Server;
let baseUrl: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('ES256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  jwksServer = createServer((req, res) => {
    if (req.url === '/auth/v1/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => jwksServer.close(() => r())));

function token(
  claims: JWTPayload,
  key: Uint8Array | CryptoKey = new TextEncoder().encode(SECRET),
  alg = 'HS256',
  exp: string | number = '1h',
  kid?: string,
) {
  return new SignJWT({ role: 'authenticated', aud: 'authenticated', iss: `${baseUrl}/auth/v1`, ...claims })
    .setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
    .setSubject(USER)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key);
}

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AuthError ? e.code : `unexpected: ${String(e)}`),
  );
}

describe('access-token verification', () => {
  it('accepts a user token signed with the project secret (HS256) and returns its sub', async () => {
    const verify = createAccessTokenVerifier({ jwtSecret: SECRET, supabaseUrl: baseUrl });
    const user = await verify(await token({ email: 'm@example.test' }));
    expect(user).toMatchObject({ userId: USER, email: 'm@example.test' });
  });

  it('rejects expired, forged, foreign-issuer, wrong-audience, non-user and missing tokens with typed errors', async () => {
    const verify = createAccessTokenVerifier({ jwtSecret: SECRET, supabaseUrl: baseUrl, clockToleranceSec: 0 });
    expect(await code(verify(await token({}, undefined, 'HS256', Math.floor(Date.now() / 1000) - 60)))).toBe(
      'expired_token',
    );
    expect(
      await code(verify(await token({}, new TextEncoder().encode('another-secret-another-secret-another!')))),
    ).toBe('bad_signature');
    expect(await code(verify(await token({ iss: 'https://other.supabase.co/auth/v1' })))).toBe('wrong_issuer');
    expect(await code(verify(await token({ aud: 'anon' })))).toBe('wrong_audience');
    expect(await code(verify(await token({ role: 'service_role' })))).toBe('not_a_user_token');
    expect(await code(verify(null))).toBe('missing_token');
    expect(await code(verify('not-a-jwt'))).toBe('malformed_token');
    const e = await verify(undefined).then(
      () => null,
      (x: unknown) => x as AuthError,
    );
    expect(e && toApiError(e).api.status).toBe(401);
  });

  it('verifies asymmetric (ES256) tokens against the project JWKS', async () => {
    const verify = createAccessTokenVerifier({ supabaseUrl: baseUrl });
    expect((await verify(await token({}, signingKey, 'ES256', '1h', 'k1'))).userId).toBe(USER);
    expect(await code(verify(await token({}, strangerKey, 'ES256', '1h', 'k1')))).toBe('bad_signature');
    // HS256 without a configured secret is a server setup problem, not the user's
    expect(await code(verify(await token({})))).toBe('not_configured');
  });

  it('reports unreachable keys', async () => {
    const verify = createAccessTokenVerifier({ supabaseUrl: baseUrl, jwksUrl: 'http://127.0.0.1:9/jwks.json' });
    expect(await code(verify(await token({}, signingKey, 'ES256', '1h', 'k1')))).toBe('keys_unreachable');
  });

  it('reads a bearer header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer x')).toBe('x');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
