import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Scans the built extension (npm run build; `npm test` builds first) for secrets: no service-role key, no JWT whose
 * role is service_role. It lives with the server's tests so that no service-role wording sits in extension/ itself.
 */
const ROOT = resolve(import.meta.dirname, '../..'); // the repository root
const BUILDS = ['chrome-mv3', 'firefox-mv3']
  .map((b) => join(ROOT, '.output', b))
  .filter((d) => existsSync(join(d, 'manifest.json')));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

export function findSecrets(text: string): string[] {
  const found: string[] = [];
  if (/sb_secret_[A-Za-z0-9_-]{10,}/.test(text)) found.push('sb_secret_ key');
  if (/SUPABASE_SERVICE_ROLE|service_role_key/i.test(text)) found.push('service-role variable');
  for (const m of text.matchAll(/eyJ[A-Za-z0-9_-]{8,}\.(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]{8,}/g)) {
    try {
      const payload = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as { role?: string };
      if (payload.role === 'service_role') found.push('JWT with role service_role');
      else found.push(`JWT (role ${payload.role ?? 'none'})`);
    } catch {
      /* not a JWT */
    }
  }
  return found;
}

describe('the built extension holds no secrets', () => {
  it('the scanner catches a service-role JWT and an sb_secret_ key', () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ role: 'service_role', iss: 'supabase' })}.c2lnbmF0dXJlc2lnbmF0dXJl`;
    expect(findSecrets(`const k = "${jwt}"`)).toContain('JWT with role service_role');
    expect(findSecrets('x="sb_secret_abcdefghijklmnop"')).toEqual(['sb_secret_ key']);
    expect(findSecrets('nothing here')).toEqual([]);
  });

  it('every file of both builds is clean', () => {
    expect(
      BUILDS.map((b) => b.split('/').pop()),
      'build the extension first: npm run build (npm test does)',
    ).toEqual(['chrome-mv3', 'firefox-mv3']);
    for (const dir of BUILDS) {
      for (const file of files(dir)) {
        const found = findSecrets(readFileSync(file, 'latin1'));
        expect({ file, found }).toEqual({ file, found: [] });
      }
    }
  });
});
