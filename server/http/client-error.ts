import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody, ErrorCode } from '../../shared/schemas/errors';

/**
 * Node answers a request it cannot parse (400), whose headers are too large (431) or that took too long (408) by
 * itself, in plain text; this handler (the server's 'clientError' listener) answers in Codette's JSON instead.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A client that went away, or a response already on its way: nothing can be said any more.
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request headers are too large: keep them under 16 KiB.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive: send it again.']
        : [400, 'bad_request', 'The request is not valid HTTP/1.1 (its request line or a header is malformed).'];
  const body: ErrorBody = { error: { code, message } };
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}
