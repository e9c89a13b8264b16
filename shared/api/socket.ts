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
