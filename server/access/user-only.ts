import type { H3Event } from 'h3';
import type { Services } from '../services';
import { ApiError } from '../http/errors';

/**
 * Decisions about web pages are the user's: the paired extension (their click) or a program on this machine (no
 * Origin: a page cannot leave it out). A web page gets 403, even one the user allowed.
 */
export function requireUser(event: H3Event, services: Services): void {
  const origin = event.req.headers.get('origin');
  if (origin === null || services.guard.isTrustedExtension(origin)) return;
  throw new ApiError(
    403,
    'forbidden_origin',
    'Only the user decides which pages use Codette: from the extension (panel, popup, options) or a program on this machine.',
  );
}
