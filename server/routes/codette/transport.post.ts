import type { H3Event } from 'h3';
import { api } from '../../../shared/api/index';
import type { TransportCommand, TransportResult } from '../../../shared/schemas/transport';
import { implement } from '../../http/route';
import { applyTransportCommand } from '../../transport/apply';
import type { Services } from '../../services';

/** Shared by this route and the /transport/:action shortcuts. */
export function handleTransportRequest({
  event,
  services,
  body,
  headers,
}: {
  event: H3Event;
  services: Services;
  body: TransportCommand;
  headers: { 'idempotency-key'?: string | undefined };
}): Promise<TransportResult> {
  const id = headers['idempotency-key'];
  return applyTransportCommand(services, body, { source: 'rest', client: event.req.headers.get('origin') }, id);
}

export default implement(api['transport.command'], handleTransportRequest);
