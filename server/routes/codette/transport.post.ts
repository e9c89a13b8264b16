import type { H3Event } from 'h3';
import { api } from '../../../shared/api/index';
import type { TransportCommand, TransportResult } from '../../../shared/schemas/transport';
import { ClientMessageId } from '../../../shared/schemas/ws';
import { implement } from '../../http/route';
import { validate } from '../../http/body';
import { applyTransportCommand } from '../../transport/apply';
import type { Services } from '../../services';

/** Shared by this route and the /transport/:action shortcuts. */
export function handleTransportRequest({
  event,
  services,
  body,
}: {
  event: H3Event;
  services: Services;
  body: TransportCommand;
}): Promise<TransportResult> {
  const key = event.req.headers.get('idempotency-key');
  const id = key === null ? undefined : validate(ClientMessageId, key, 'params');
  return applyTransportCommand(services, body, { source: 'rest', client: event.req.headers.get('origin') }, id);
}

export default implement(api['transport.command'], handleTransportRequest);
