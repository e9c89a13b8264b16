import type { TransportCommand, TransportResult } from '../../shared/schemas/transport';
import type { AppliedIds } from '../idempotency';
import type { ChangeOrigin, Transport } from './transport';

/**
 * Applies a transport command from any door (REST, WebSocket, a chat answer). With an id, a repeat is
 * acknowledged as a duplicate and not applied again, also after a restart. A command the transport refuses throws its
 * TransportRejection (a domain error; server/http/errors.ts answers it as a 400 naming the field).
 */
export async function applyTransportCommand(
  services: { transport: Transport; appliedIds: AppliedIds },
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
    throw error;
  }
  if (id !== undefined) await appliedIds.commit(id);
  return { status: 'ok', action: command.action, duplicate: false, state };
}
