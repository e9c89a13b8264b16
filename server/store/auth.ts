/**
 * Verifying a Supabase access token on the server (jose). Two key sources, as Supabase projects have:
 *  - the project's JWT secret (HS256, "legacy" JWT secret): SUPABASE_JWT_SECRET;
 *  - asymmetric signing keys (ES256/RS256) published at `${SUPABASE_URL}/auth/v1/.well-known/jwks.json`.
 * A token signed with HS256 is checked against the secret, any other algorithm against the JWKS.
 * Accepted: a signed, unexpired token with aud "authenticated", role "authenticated", a `sub`, and (when the
 * project URL is known) iss `${SUPABASE_URL}/auth/v1`. The anon and service-role keys are not user tokens.
 */
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

export type AuthErrorCode =
  | 'missing_token'
  | 'malformed_token'
  | 'expired_token'
  | 'bad_signature'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'not_a_user_token'
  | 'not_configured'
  | 'keys_unreachable';

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface VerifiedUser {
  userId: string;
  email: string | null;
  claims: JWTPayload;
}

export interface AccessTokenVerifierOptions {
  /** SUPABASE_JWT_SECRET (HS256). */
  jwtSecret?: string;
  /** SUPABASE_URL: gives the issuer and the default JWKS URL. */
  supabaseUrl?: string;
  /** Override of `${supabaseUrl}/auth/v1/.well-known/jwks.json`. */
  jwksUrl?: string;
  /** Seconds of clock skew tolerated. Default 30. */
  clockToleranceSec?: number;
}

export type AccessTokenVerifier = (token: string | null | undefined) => Promise<VerifiedUser>;

/** `Authorization: Bearer <token>` → token, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const base = options.supabaseUrl?.replace(/\/+$/, '');
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : null;
  const jwksUrl = options.jwksUrl ?? (base ? `${base}/auth/v1/.well-known/jwks.json` : undefined);
  let jwks: JWTVerifyGetKey | null = null;
  const issuer = base ? `${base}/auth/v1` : undefined;

  return async (token) => {
    if (!token) throw new AuthError('missing_token', 'Sign in: this request carries no Supabase access token.');
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch (e) {
      throw new AuthError('malformed_token', 'The access token is not a JWT.', { cause: e });
    }
    const verifyOptions = {
      audience: 'authenticated',
      ...(issuer ? { issuer } : {}),
      clockTolerance: options.clockToleranceSec ?? 30,
    };
    let payload: JWTPayload;
    try {
      if (alg === 'HS256') {
        if (!secret)
          throw new AuthError(
            'not_configured',
            'An HS256 token arrived but SUPABASE_JWT_SECRET is not set on the server.',
          );
        ({ payload } = await jwtVerify(token, secret, { ...verifyOptions, algorithms: ['HS256'] }));
      } else {
        if (!jwksUrl)
          throw new AuthError(
            'not_configured',
            `A ${alg ?? 'unsigned'} token arrived but SUPABASE_URL (for its JWKS) is not set on the server.`,
          );
        jwks ??= createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
        ({ payload } = await jwtVerify(token, jwks, { ...verifyOptions, algorithms: ['ES256', 'RS256', 'EdDSA'] }));
      }
    } catch (e) {
      throw toAuthError(e);
    }
    if (payload.role !== 'authenticated' || typeof payload.sub !== 'string' || !UUID_RE.test(payload.sub)) {
      throw new AuthError(
        'not_a_user_token',
        'This token is not a signed-in user\'s access token (no user id, or role is not "authenticated").',
      );
    }
    return { userId: payload.sub, email: typeof payload.email === 'string' ? payload.email : null, claims: payload };
  };
}

function toAuthError(e: unknown): AuthError {
  if (e instanceof AuthError) return e;
  if (e instanceof joseErrors.JWTExpired)
    return new AuthError('expired_token', 'The access token has expired: refresh the session and retry.', { cause: e });
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === 'aud')
      return new AuthError(
        'wrong_audience',
        'The access token is not meant for signed-in users (aud is not "authenticated").',
        { cause: e },
      );
    if (e.claim === 'iss')
      return new AuthError('wrong_issuer', 'The access token was issued by another Supabase project.', { cause: e });
    return new AuthError('malformed_token', `The access token's "${e.claim}" claim is not valid.`, { cause: e });
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed || e instanceof joseErrors.JWKSNoMatchingKey) {
    return new AuthError('bad_signature', "The access token's signature does not match this project's keys.", {
      cause: e,
    });
  }
  if (e instanceof joseErrors.JWKSTimeout || (e instanceof Error && /fetch|ECONNREFUSED|network/i.test(e.message))) {
    return new AuthError(
      'keys_unreachable',
      "Cannot fetch the project's signing keys (JWKS): check SUPABASE_URL and the network.",
      { cause: e },
    );
  }
  if (
    e instanceof joseErrors.JOSEAlgNotAllowed ||
    e instanceof joseErrors.JWSInvalid ||
    e instanceof joseErrors.JWTInvalid
  ) {
    return new AuthError('malformed_token', 'The access token is not a valid JWT for this project.', { cause: e });
  }
  return new AuthError(
    'bad_signature',
    `The access token could not be verified (${e instanceof Error ? e.message : String(e)}).`,
    { cause: e },
  );
}
