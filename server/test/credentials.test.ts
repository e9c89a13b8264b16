import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';
import { jwtRole } from '../diagnostics/credentials';
import { Credentials } from '../../shared/schemas/diagnostics';

const fakeJwt = (role: string) =>
  [
    { alg: 'HS256', typ: 'JWT' },
    { iss: 'supabase', role, ref: 'abc' },
  ]
    .map((p) => Buffer.from(JSON.stringify(p)).toString('base64url'))
    .join('.') + '.c2lnbmF0dXJl';

describe('credentials diagnostics', () => {
  const serviceKey = fakeJwt('service_role');
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(
      {
        SUPABASE_URL: 'https://abc.supabase.co',
        SUPABASE_SERVICE_ROLE_KEY: serviceKey,
        VITE_SUPABASE_ANON_KEY: serviceKey,
      },
      { embeddedStore: true },
    );
  });
  afterAll(() => server.close());

  it('reads the role claim of a JWT-shaped key', () => {
    expect(jwtRole(fakeJwt('anon'))).toBe('anon');
    expect(jwtRole('not-a-jwt')).toBeNull();
  });

  it('reports which keys are present and their roles, and warns when a build-visible variable holds the service role', async () => {
    const res = await server.fetch('/api/diagnostics/credentials');
    const text = await res.text();
    const body = Credentials.parse(JSON.parse(text));
    expect(body.supabase.service_role_key).toMatchObject({
      present: true,
      role: 'service_role',
      variable: 'SUPABASE_SERVICE_ROLE_KEY',
    });
    expect(body.supabase.anon_key).toMatchObject({
      present: true,
      role: 'service_role',
      variable: 'VITE_SUPABASE_ANON_KEY',
    });
    expect(body.status).toBe('warning');
    expect(body.warnings.some((w) => w.includes('VITE_SUPABASE_ANON_KEY'))).toBe(true);
    expect(text).not.toContain(serviceKey);
    expect(text).not.toContain(serviceKey.split('.')[1]);
  });
});
