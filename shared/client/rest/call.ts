import type { Endpoint, EndpointInput, OkOf, SseEventOf } from '../../api/define';
import { ErrorBody } from '../../schemas/errors';
import { sendRequest, type HttpDeps } from './http';
import { prepareRequest, type CallInput, type RequestContext } from './request';
import { fail, ok, type CodetteError, type Result } from './result';
import { readSse } from './sse';
import type { RawResponse, SendOptions } from './wire';

export interface CallOptions extends SendOptions {
  headers?: Record<string, string>;
  /** Makes a retry of a call that changes something (chat, transport) apply once: the server keeps the first answer. */
  idempotencyKey?: string;
}

export interface StreamOptions<E extends Endpoint> extends CallOptions {
  /** Every event as it arrives, the final one included. */
  onEvent?: (event: SseEventOf<E>) => void;
}

export type CallContext = RequestContext & HttpDeps;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorOf(status: number, text: string): CodetteError {
  const body = ErrorBody.safeParse(parseJson(text));
  if (body.success) return { status, ...body.data.error };
  return { code: 'http_error', status, message: `Codette answered HTTP ${status} without an error body.` };
}

function invalidAnswer(status: number, why: string): CodetteError {
  return {
    code: 'invalid_response',
    status,
    message: `Codette's answer does not match this client's contract (${why}): are the client and server versions the same?`,
  };
}

async function start(
  context: CallContext,
  endpoint: Endpoint,
  input: CallInput,
  options: CallOptions,
  accept: string,
): Promise<Result<RawResponse>> {
  const extra: Record<string, string> = { ...options.headers, accept };
  if (options.idempotencyKey) extra['idempotency-key'] = options.idempotencyKey;
  const prepared = prepareRequest(endpoint, input, context, extra);
  if (!prepared.ok) return prepared;
  return sendRequest(prepared.value, options, context);
}

/**
 * Calls one endpoint of the contract: the input is checked against its schemas, the answer against its 200 schema.
 * Never throws for a failed call: the result carries the server's error code, or the client's (network, LNA…).
 */
export async function callEndpoint<E extends Endpoint>(
  context: CallContext,
  endpoint: E,
  input: EndpointInput<E>,
  options: CallOptions = {},
): Promise<Result<OkOf<E>>> {
  const accept = endpoint.answer === 'html' ? 'text/html' : 'application/json';
  const sent = await start(context, endpoint, input as CallInput, options, accept);
  if (!sent.ok) return sent;
  const res = sent.value;
  let text: string;
  try {
    text = await res.text();
  } catch (error) {
    return fail({ code: 'network_error', status: res.status, message: `The answer was cut off: ${String(error)}` });
  }
  if (res.status < 200 || res.status >= 300) return fail(errorOf(res.status, text));
  const parsed = endpoint.responses[200].safeParse(endpoint.answer === 'html' ? text : parseJson(text));
  if (!parsed.success) return fail(invalidAnswer(res.status, parsed.error.issues[0]?.message ?? 'unreadable'));
  return ok(parsed.data as OkOf<E>);
}

/**
 * Calls an endpoint that can answer with Server-Sent Events (chat, audio analysis): each event is checked and passed
 * to `onEvent`; the result is the final event (`reply`, `report`), or the error the stream ended with.
 */
export async function streamEndpoint<E extends Endpoint>(
  context: CallContext,
  endpoint: E,
  input: EndpointInput<E>,
  options: StreamOptions<E> = {},
): Promise<Result<SseEventOf<E>>> {
  const sse = endpoint.sse;
  if (!sse) return fail(invalidAnswer(0, `${endpoint.name} does not stream`));
  const sent = await start(context, endpoint, input as CallInput, options, 'text/event-stream');
  if (!sent.ok) return sent;
  const res = sent.value;
  if (res.status < 200 || res.status >= 300) return fail(errorOf(res.status, await res.text().catch(() => '')));
  if (!res.contentType.includes('text/event-stream')) return fail(invalidAnswer(res.status, 'not an event stream'));
  try {
    for await (const message of readSse(res.chunks())) {
      const schema = sse.events[message.event];
      if (!schema) continue; // an event this client does not know: a newer server may add some
      const data = schema.safeParse(parseJson(message.data));
      if (!data.success) return fail(invalidAnswer(res.status, `event ${message.event}`));
      const event = { event: message.event, data: data.data } as SseEventOf<E>;
      options.onEvent?.(event);
      if (!sse.final.includes(message.event)) continue;
      const error = ErrorBody.safeParse(data.data);
      return message.event === 'error' && error.success ? fail({ status: res.status, ...error.data.error }) : ok(event);
    }
  } catch (error) {
    return fail({ code: 'network_error', status: res.status, message: `The stream was cut off: ${String(error)}` });
  }
  return fail(invalidAnswer(res.status, 'the stream ended before its final event'));
}
