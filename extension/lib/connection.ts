/** The extension's connection is the shared client's: one implementation of reconnects, pings and outbox delivery. */
export { ConnectionManager } from '../../shared/client/socket/connection';
export type {
  Clock,
  ConnectionStatus,
  ProblemCode,
  SocketFactory,
  SocketHandlers,
  TimerHandle,
} from '../../shared/client/socket/types';
