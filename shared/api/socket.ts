import type { z } from 'zod';
import { WS_PATH } from '../constants';
import type { ErrorCode } from '../schemas/errors';
import { ClientMessage, ServerMessage, type Topic } from '../schemas/ws';
import { STORE_ERRORS } from './errors';

type ClientType = z.input<typeof ClientMessage>['type'];
type ServerType = z.output<typeof ServerMessage>['type'];

/**
 * Codette's WebSocket: what a client may send and what the server sends, one zod discriminated union each (by
 * `type`). A client message with an `id` is answered with `ack` and applied once however often it is resent.
 */
export const socket = {
  path: WS_PATH,
  client: ClientMessage,
  server: ServerMessage,
  /** Sent to every connection when it opens (it is then subscribed to `transport`). */
  onOpen: ['hello'] as const satisfies readonly ServerType[],
  /**
   * What the sender of each client message gets back, in this order (a type may be absent: `server_status` after
   * `subscribe` only for the status topic, `ack` only when the message has an id). A failure is one `error` instead.
   */
  replies: {
    ping: ['pong'],
    transport: ['ack'],
    daw_report: ['ack'],
    subscribe: ['subscribed', 'server_status'],
    unsubscribe: ['subscribed'],
    status: ['transport_state', 'server_status', 'ack'],
    chat: ['chat_delta', 'chat_reply', 'ack'],
    feedback: ['ack'],
    meter_snapshot: ['ack', 'stream_findings'],
  } as const satisfies Record<ClientType, readonly ServerType[]>,
  /** What subscribers of each topic are sent, whoever caused it. */
  topics: {
    transport: ['transport_state', 'transport_tick'],
    status: ['server_status'],
    analysis: ['analysis_progress', 'analysis_done', 'stream_findings'],
  } as const satisfies Record<Topic, readonly ServerType[]>,
  /** Sent only to the paired extension's connections: a web page asks for access, and how that ended. */
  toExtension: ['access_request', 'access_settled'] as const satisfies readonly ServerType[],
  /** The codes an `error` message may carry: the frame, the message's shape, the rate, and what handling it met. */
  errors: [
    'binary_not_supported',
    'invalid_json',
    'invalid_message',
    'unknown_type',
    'rate_limited',
    'invalid_request',
    'not_found',
    'internal_error',
    ...STORE_ERRORS,
  ] as const satisfies readonly ErrorCode[],
} as const;
