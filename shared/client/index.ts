/** @codette/client: Codette's API for web DAWs and scripts, in browsers and on Node 20. */
export { CodetteClient, createCodetteClient } from './codette-client';
export type { CodetteClientOptions, FileInput, UploadOptions } from './codette-client';
export { callEndpoint, streamEndpoint } from './rest/call';
export type { CallContext, CallOptions, StreamOptions } from './rest/call';
export { CodetteClientError, unwrap } from './rest/result';
export type { ClientErrorCode, CodetteError, Result } from './rest/result';
export type { UploadProgress } from './rest/wire';
export { CodetteSocket } from './socket/client-socket';
export type { CodetteSocketOptions } from './socket/client-socket';
export type { ConnectionStatus, Problem, ProblemCode, WebSocketConstructor } from './socket/types';
export { memoryOutboxStorage, webStorageOutboxStorage } from './outbox';
export type { DroppedEntry, OutboxMessage, OutboxStorage, WebStorageLike } from './outbox';
export { LOCAL_NETWORK_DENIED_MESSAGE, supportsTargetAddressSpace } from './local-network';
export { api, socket } from '../api/index';
export type { Api, OperationName, Endpoint, EndpointInput, OkOf, SseEventOf } from '../api/index';
export { ErrorCode, isDefinitiveRefusal } from '../schemas/errors';
export { PROTOCOL_VERSION } from '../constants';
