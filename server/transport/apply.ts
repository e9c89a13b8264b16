import type { TransportCommand, TransportResult } from '../../shared/schemas/transport';
import { ApiError } from '../http/errors';
import type { Services } from '../services';
import { TransportRejection, type ChangeOrigin } from './transport';

/**
 * Applies a transport command from any door (REST, WebSocket, a chat answer). With an id, a repeat is
 * acknowledged as a duplicate and not applied again, also after a restart.
 */
export async function applyTransportCommand(
  services: Pick<Services, 'transport' | 'appliedIds'>,
  command: TransportCommand,
  origin: ChangeOrigin,
  id?: string,
): Promise<TransportResult> {
  const { transport, appliedIds } = services;
  if (id !== undefined && !(await appliedIds.claim(id))) {
    return { status: 'ok', action: command.action, duplicate: true, state: transport.snapshot() };
  }
  let state;
  try {
    state = transport.apply(command, origin);
  } catch (error) {
    if (id !== undefined) appliedIds.release(id);
    if (error instanceof TransportRejection) {
      throw new ApiError(400, 'invalid_request', `Invalid body: ${error.field}: ${error.message}`, [
        { field: error.field, message: error.message },
      ]);
    }
    throw error;
  }
  if (id !== undefined) await appliedIds.commit(id);
  return { status: 'ok', action: command.action, duplicate: false, state };
}
