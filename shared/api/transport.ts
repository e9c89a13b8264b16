import { z } from 'zod';
import { TransportCommand, TransportResult, TransportState, TRANSPORT_ACTIONS } from '../schemas/transport';
import { IdempotencyHeaders } from './headers';
import { defineEndpoint } from './define';
import { JSON_BODY_ERRORS } from './errors';

const IDEMPOTENCY =
  'Send an `Idempotency-Key` header to make a retry safe: a repeated key is answered with `duplicate: true` and not applied again.';

export const transportEndpoints = [
  defineEndpoint({
    name: 'transport.status',
    method: 'GET',
    path: '/codette/status',
    summary: 'The transport: play state, position in seconds and bars.beats, tempo, loop, who changed it last',
    tag: 'transport',
    responses: { 200: TransportState },
    errors: [],
  }),
  defineEndpoint({
    name: 'transport.command',
    method: 'POST',
    path: '/codette/transport',
    summary: 'Control the transport: play, pause, resume, stop, record, seek, tempo, loop, time_signature, metronome',
    description: IDEMPOTENCY,
    tag: 'transport',
    headers: IdempotencyHeaders,
    body: { json: TransportCommand },
    responses: { 200: TransportResult },
    errors: [...JSON_BODY_ERRORS],
  }),
  defineEndpoint({
    name: 'transport.state',
    method: 'GET',
    path: '/transport/status',
    summary: 'The transport state (same as GET /codette/status)',
    tag: 'transport',
    responses: { 200: TransportState },
    errors: [],
  }),
  defineEndpoint({
    name: 'transport.action',
    method: 'POST',
    path: '/transport/:action',
    summary:
      'Shortcut for POST /codette/transport with the action in the path: /transport/play, /transport/tempo {bpm}, ...',
    description: `The body holds the command's other fields. ${IDEMPOTENCY}`,
    tag: 'transport',
    // Any string reaches the body's validation, which names the field and the allowed actions.
    params: z.object({ action: z.string().describe(`one of ${TRANSPORT_ACTIONS.join(', ')}`) }),
    headers: IdempotencyHeaders,
    body: { json: TransportCommand, fromParams: ['action'] },
    responses: { 200: TransportResult },
    errors: [...JSON_BODY_ERRORS],
  }),
] as const;
