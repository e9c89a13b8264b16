import type { Credentials } from '../../shared/schemas/diagnostics';
import type { Services } from '../services';

/** The `role` claim of a JWT-shaped key, read without verifying it (the key itself is never printed). */
export function jwtRole(token: string | undefined): string | null {
  if (!token) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { role?: unknown };
    return typeof payload.role === 'string' ? payload.role : null;
  } catch {
    return null;
  }
}

/** Variables a Vite/WXT extension build inlines into code shipped to the browser. */
const BUILD_VISIBLE = /^(VITE_|WXT_|PUBLIC_)/;

export function inspectCredentials(services: Services): Credentials {
  const { supabase, token } = services.settings;
  const warnings: string[] = [];
  const anonRole = jwtRole(supabase.anonKey);
  const serviceRole = jwtRole(supabase.serviceRoleKey);

  for (const [name, value] of Object.entries(services.env)) {
    if (BUILD_VISIBLE.test(name) && jwtRole(value) === 'service_role') {
      warnings.push(
        `${name} holds a service-role key, and an extension build reads ${name}: move the key to SUPABASE_SERVICE_ROLE_KEY and put the anon key in ${name}.`,
      );
    }
  }
  if (anonRole === 'service_role')
    warnings.push("The anon key is a service-role key: give the extension the project's anon key instead.");
  if (supabase.serviceRoleKey && serviceRole !== null && serviceRole !== 'service_role') {
    warnings.push(
      `SUPABASE_SERVICE_ROLE_KEY carries the role "${serviceRole}", not service_role: row-level security will refuse the server's writes.`,
    );
  }
  if (supabase.url && !supabase.serviceRoleKey) {
    warnings.push(
      'A Supabase URL is set without SUPABASE_SERVICE_ROLE_KEY: Codette uses the embedded database until the key is set.',
    );
  }
  if (supabase.serviceRoleKey && !supabase.url) {
    warnings.push('SUPABASE_SERVICE_ROLE_KEY is set without SUPABASE_URL: set both to use Supabase.');
  }

  return {
    supabase: {
      url: {
        present: Boolean(supabase.url),
        variable: supabase.sources.url ?? null,
        host: supabase.url ? new URL(supabase.url).host : null,
      },
      anon_key: { present: Boolean(supabase.anonKey), variable: supabase.sources.anonKey ?? null, role: anonRole },
      service_role_key: {
        present: Boolean(supabase.serviceRoleKey),
        variable: supabase.sources.serviceRoleKey ?? null,
        role: serviceRole,
      },
      jwt_secret: { present: Boolean(supabase.jwtSecret) },
    },
    server_token_required: Boolean(token),
    status: warnings.length ? 'warning' : 'ok',
    warnings,
  };
}
