import { z } from 'zod';
import { defineEndpoint } from './define';
import { JSON_BODY_ERRORS } from './errors';

/**
 * Web pages asking for Codette: a page calls POST /api/access, the extension shows "‹origin› (name) wants to use
 * Codette — Allow / Deny", and the user's choice is kept by the server per origin.
 */

export const ACCESS_PATH = '/api/access';

/** A web page's origin as browsers send it: http(s)://host[:port], nothing after it, in lower case. */
export const WebOrigin = z
  .string()
  .max(255)
  .transform((o) => o.trim().toLowerCase().replace(/\/+$/, ''))
  .pipe(
    z
      .string()
      .regex(
        /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/,
        'a web origin: http:// or https://, a host and an optional port, nothing after it (e.g. https://daw.example.com)',
      ),
  );
export type WebOrigin = z.infer<typeof WebOrigin>;

/** The name a page gives of itself, shown to the user beside its origin (which is what really identifies it). */
export const AccessRequestBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'name: what the user will see, e.g. "My Web DAW"')
    .max(60)
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'plain text without control or formatting characters'),
});
export type AccessRequestBody = z.infer<typeof AccessRequestBody>;

/** How long POST /api/access holds the page's request while the user has not chosen, by default and at most. */
export const ACCESS_WAIT_DEFAULT_SECONDS = 25;
export const ACCESS_WAIT_MAX_SECONDS = 50;

export const AccessRequestQuery = z.object({
  wait: z.coerce.number().int().min(0).max(ACCESS_WAIT_MAX_SECONDS).default(ACCESS_WAIT_DEFAULT_SECONDS),
});

export const AccessDecision = z.enum(['allowed', 'denied']);
export type AccessDecision = z.infer<typeof AccessDecision>;

/** A page's request the user has not answered yet. */
export const PendingAccess = z.object({
  id: z.string(),
  origin: z.string(),
  name: z.string(),
  requested_at: z.string(),
  expires_at: z.string(),
});
export type PendingAccess = z.infer<typeof PendingAccess>;

/**
 * The answer to a page. `pending`: the user has not chosen yet (call again: the same request is joined, no second
 * prompt); `expired`: nobody answered in time (a new call asks again); `allowed` / `denied`: the user's choice.
 */
export const AccessResult = z.object({
  origin: z.string(),
  status: z.enum(['allowed', 'denied', 'pending', 'expired']),
  /** Where the access comes from when allowed: the user's click, or CODETTE_ALLOWED_ORIGINS. */
  source: z.enum(['user', 'settings']).optional(),
  request: PendingAccess.optional(),
  message: z.string(),
});
export type AccessResult = z.infer<typeof AccessResult>;

/** One origin the user decided about. */
export const OriginAccess = z.object({
  origin: z.string(),
  decision: AccessDecision,
  name: z.string(),
  decided_at: z.string(),
});
export type OriginAccess = z.infer<typeof OriginAccess>;

/** What the options page lists: every decision, the requests waiting, and the origins allowed by the settings. */
export const AccessList = z.object({
  origins: z.array(OriginAccess),
  pending: z.array(PendingAccess),
  from_settings: z.array(z.string()),
});
export type AccessList = z.infer<typeof AccessList>;

export const AccessDecisionBody = z.object({ decision: AccessDecision });
export type AccessDecisionBody = z.infer<typeof AccessDecisionBody>;

/** The origin as a path segment: URL-encoded by the caller (`https%3A%2F%2Fdaw.example.com`), decoded here. */
const EncodedOrigin = z
  .string()
  .transform((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  })
  .pipe(WebOrigin);

export const AccessOriginParams = z.object({ origin: EncodedOrigin });

/** What the server pushes over the WebSocket to the extension (and only to it): a new request, and its end. */
export const AccessRequestMessage = z.object({ type: z.literal('access_request'), request: PendingAccess });
export const AccessSettledMessage = z.object({
  type: z.literal('access_settled'),
  id: z.string(),
  origin: z.string(),
  status: z.enum(['allowed', 'denied', 'expired']),
});
export type AccessEvent = z.infer<typeof AccessRequestMessage> | z.infer<typeof AccessSettledMessage>;

const USER_ONLY =
  'Only for the user: the paired extension, or a program on this machine (no Origin). A web page, even an allowed one, gets 403.';

export const accessEndpoints = [
  defineEndpoint({
    name: 'access.request',
    method: 'POST',
    path: ACCESS_PATH,
    summary: 'A web page asks the user for access to Codette (its Origin header says who asks)',
    description:
      'Any web origin may call this one endpoint (CORS is answered for it). The extension shows "‹origin› (name) wants ' +
      'to use Codette — Allow / Deny"; the answer comes as soon as the user clicks, or `pending` after `wait` seconds ' +
      '(call again: the same request is joined, the user is not asked twice). A request expires after 2 minutes ' +
      'unanswered; an origin may cause 3 prompts per 10 minutes (429 after). A decided origin is answered at once.',
    tag: 'access',
    query: AccessRequestQuery,
    body: { json: AccessRequestBody },
    responses: { 200: AccessResult },
    errors: [...JSON_BODY_ERRORS],
  }),
  defineEndpoint({
    name: 'access.list',
    method: 'GET',
    path: ACCESS_PATH,
    summary:
      'The web origins the user allowed or denied, the requests waiting, and the origins of CODETTE_ALLOWED_ORIGINS',
    description: USER_ONLY,
    tag: 'access',
    responses: { 200: AccessList },
    errors: ['forbidden_origin'],
  }),
  defineEndpoint({
    name: 'access.decide',
    method: 'PUT',
    path: `${ACCESS_PATH}/:origin`,
    summary: "The user's answer for an origin (URL-encoded in the path): allowed or denied",
    description: `${USER_ONLY} The page waiting on POST /api/access gets the answer at once.`,
    tag: 'access',
    params: AccessOriginParams,
    body: { json: AccessDecisionBody },
    responses: { 200: OriginAccess },
    errors: [...JSON_BODY_ERRORS, 'forbidden_origin'],
  }),
  defineEndpoint({
    name: 'access.revoke',
    method: 'DELETE',
    path: `${ACCESS_PATH}/:origin`,
    summary: 'Forget the decision about an origin (URL-encoded in the path): it loses access and must ask again',
    description: `${USER_ONLY} The origin's open WebSockets are closed (1008).`,
    tag: 'access',
    params: AccessOriginParams,
    responses: { 200: AccessList },
    errors: ['invalid_request', 'forbidden_origin', 'not_found'],
  }),
] as const;
