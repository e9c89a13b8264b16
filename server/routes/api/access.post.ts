import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { ApiError } from '../../http/errors';
import { WebOrigin, type AccessResult, type PendingAccess } from '../../../shared/api/access';
import type { Settlement } from '../../access/web-access';

const MESSAGES = {
  allowed: 'The user allowed this page to use Codette.',
  denied:
    'The user declined to let this page use Codette. They can change that in the Codette extension: Options, Web pages.',
  pending: 'Waiting for the user to answer in the Codette extension: call again to keep waiting.',
  expired: 'Nobody answered in time. Ask again when the user is at the computer, with the Codette extension open.',
  settings: 'This origin needs no asking: it is listed in CODETTE_ALLOWED_ORIGINS, or it is the server itself.',
} as const;

/** The page's request held until the user answers, or `wait` seconds pass (then `pending`; the page calls again). */
function waitFor(settled: Promise<Settlement>, seconds: number, signal: AbortSignal): Promise<Settlement | 'pending'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('pending'), seconds * 1000);
    const done = (outcome: Settlement | 'pending') => {
      clearTimeout(timer);
      resolve(outcome);
    };
    void settled.then(done);
    if (signal.aborted) done('pending');
    else signal.addEventListener('abort', () => done('pending'), { once: true });
  });
}

function answer(origin: string, status: AccessResult['status'], request?: PendingAccess): AccessResult {
  return {
    origin,
    status,
    ...(status === 'allowed' ? { source: 'user' as const } : {}),
    ...(request ? { request } : {}),
    message: MESSAGES[status],
  };
}

export default implement(api['access.request'], async ({ event, services, body, query }): Promise<AccessResult> => {
  const header = event.req.headers.get('origin');
  const parsed = WebOrigin.safeParse(header ?? '');
  if (!parsed.success) {
    throw new ApiError(
      400,
      'bad_request',
      header === null
        ? 'POST /api/access is for web pages: their browser sends the Origin it asks for. A program on this machine needs no access.'
        : `Origin "${header}" is not a web page's origin (http:// or https://): extensions pair through /codette/extensions.`,
      { field: 'origin' },
    );
  }
  const origin = parsed.data;
  if (services.guard.allowsWithoutAsking(origin))
    return { origin, status: 'allowed', source: 'settings', message: MESSAGES.settings };
  const ask = services.access.ask(origin, body.name);
  if (ask.status !== 'pending') return answer(origin, ask.status);
  const outcome = await waitFor(ask.settled, query.wait, event.req.signal);
  return answer(origin, outcome, outcome === 'pending' ? ask.request : undefined);
});
