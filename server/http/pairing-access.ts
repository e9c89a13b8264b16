import type { H3Event } from 'h3';
import type { Services } from '../services';
import { ApiError } from './errors';
import type { ExtensionPairing } from './pairing';

/** The pairing, for a caller allowed to see and change it: a local tool (no Origin) or the paired extension. */
export function pairingFor(event: H3Event, services: Services): ExtensionPairing {
  const { pairing } = services.guard;
  if (!pairing) {
    throw new ApiError(
      409,
      'conflict',
      'CODETTE_EXTENSION_IDS is set, so this server does not pair: list the extension ids there instead.',
    );
  }
  const origin = event.req.headers.get('origin');
  if (origin !== null && !services.guard.isTrustedExtension(origin)) {
    throw new ApiError(
      403,
      'forbidden_origin',
      'Only the paired extension, or a program on this machine (curl), may see or approve extensions.',
    );
  }
  return pairing;
}
