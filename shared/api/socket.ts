import type { z } from 'zod';
import { WS_PATH } from '../constants';
import { ClientMessage, ServerMessage } from '../schemas/ws';

/**
 * Codette's WebSocket: what a client may send and what the server sends, one zod discriminated union each (by
 * `type`). A client message with an `id` is answered with `ack` and applied once however often it is resent.
 */
export const socket = {
  path: WS_PATH,
  client: ClientMessage,
  server: ServerMessage,
} as const;

export type SocketClientType = z.input<typeof ClientMessage>['type'];
export type SocketServerType = z.output<typeof ServerMessage>['type'];
/** The message a client sends of one type, as it may write it (defaults not yet applied). */
export type SocketClientMessage<T extends SocketClientType = SocketClientType> = Extract<
  z.input<typeof ClientMessage>,
  { type: T }
>;
/** The message the server sends of one type, as the client reads it. */
export type SocketServerMessage<T extends SocketServerType = SocketServerType> = Extract<
  z.output<typeof ServerMessage>,
  { type: T }
>;
