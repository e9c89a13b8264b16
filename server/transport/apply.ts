import type { TransportCommand, TransportResult } from '../../shared/schemas/transport';
import { ApiError } from '../http/errors';
import type { Services } from '../services';
import { TransportRejection, type ChangeOrigin } from './transport';

/**
 * Applies a transport command from any door (REST, WebSocket, a chat answer). With an id, a repeat is
 * acknowledged as a duplicate and not applied again.
 */
export function applyTransportCommand(
  services: Pick<Services, 'transport' | 'appliedIds'>,
  command: TransportCommand,
  origin: ChangeOrigin,
  id?: string,
): TransportResult {
  const { transport, appliedIds } = services;
  if (id !== undefined && !appliedIds.claim(id)) {
    return { status: 'ok', action: command.action, duplicate: true, state: transport.snapshot() };
  }
  try {
    const state = transport.apply(command, origin);
    return { status: 'ok', action: command.action, duplicate: false, state };
  } catch (error) {
    if (id !== undefined) appliedIds.release(id);
    if (error instanceof TransportRejection) {
      throw new ApiError(400, 'invalid_request', `Invalid body: ${error.field}: ${error.message}`, [{ field: error.field, message: error.message }]);
    }
    throw error;
  }
}
