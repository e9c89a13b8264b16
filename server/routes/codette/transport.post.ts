import type { H3Event } from 'h3';
import { TransportCommand, TransportResult } from '../../../shared/schemas/transport';
import { ClientMessageId } from '../../../shared/schemas/ws';
import { defineRoute } from '../../http/route';
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

export default defineRoute({
  method: 'POST',
  path: '/codette/transport',
  summary: 'Control the transport: play, pause, resume, stop, record, seek, tempo, loop, time_signature, metronome',
  description:
    'Send an `Idempotency-Key` header to make a retry safe: a repeated key is answered with `duplicate: true` and not applied again.',
  tag: 'transport',
  body: TransportCommand,
  response: TransportResult,
  errors: [400, 413, 415],
  handler: handleTransportRequest,
});
