import type { z } from 'zod';
import type { ErrorCode } from '../schemas/errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The names of a path's `:param` segments, as a union: `'/codette/sessions/:id/messages'` gives `'id'`. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** A file sent as the raw body (with its Content-Type) or, when `multipartField` is set, as that multipart field. */
export interface UploadSpec {
  /** Content types the server accepts (it checks the first bytes too). */
  types: readonly string[];
  /** The multipart/form-data field that may carry the file instead of the raw body. */
  multipartField?: string;
}

/**
 * The request body. `json` and `upload` may both be set (POST /api/analysis/detect-genre): the Content-Type decides.
 * `fromParams` names path params the server copies into the JSON body before validation (POST /transport/:action),
 * so a client leaves them out of the body. A JSON body may be as large as CODETTE_BODY_LIMIT, or CODETTE_UPLOAD_LIMIT
 * with `jsonLimit: 'upload'` (an export file); an upload always CODETTE_UPLOAD_LIMIT.
 */
export interface BodySpec {
  json?: z.ZodType;
  upload?: UploadSpec;
  fromParams?: readonly string[];
  jsonLimit?: 'body' | 'upload';
}

/**
 * A Server-Sent Events answer, chosen by the request header `Accept: text/event-stream` (without it the endpoint
 * answers its 200 JSON). `events` maps each event name to its data's schema; `final` lists the events that end it.
 */
export interface SseSpec {
  events: Record<string, z.ZodType>;
  final: readonly string[];
}

/** What a 200 carries: JSON (the default), an HTML page, or a JSON file download (Content-Disposition: attachment). */
export type AnswerKind = 'json' | 'html' | 'download';

export interface EndpointSpec {
  /** Stable operation name, `area.verb` (`chat.send`, `sessions.list`): the key in `api` and the OpenAPI operationId. */
  name: string;
  method: HttpMethod;
  /** rou3 pattern, `/codette/sessions/:id`; the route file's name mirrors it (`codette/sessions/[id].delete.ts`). */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Required exactly when the path has `:params`: an object schema with one key per param. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the endpoint reads, lower-case names (`idempotency-key`); validated like params and query. */
  headers?: z.ZodObject;
  body?: BodySpec;
  responses: { 200: z.ZodType };
  answer?: AnswerKind;
  sse?: SseSpec;
  /** The error codes this endpoint answers besides COMMON_ERRORS (the guard's); statuses come from ERROR_STATUS. */
  errors: readonly ErrorCode[];
}

type ParamsRule<P extends string> = [PathParamNames<P>] extends [never]
  ? { params?: undefined }
  : { params: z.ZodObject<{ [K in PathParamNames<P>]: z.ZodType }> };

/** An endpoint of the contract: the spec as written, with `answer` filled in. */
export type Endpoint<E extends EndpointSpec = EndpointSpec> = Readonly<E> & {
  readonly answer: 'answer' extends keyof E ? Exclude<E['answer'], undefined> : 'json';
};

/**
 * One HTTP endpoint of Codette's API, described once: the server validates and binds its handler from it, the
 * OpenAPI document and /docs are made from it, and the client calls it. Throws at load when the path's params and
 * the params schema disagree.
 */
export function defineEndpoint<const E extends EndpointSpec>(spec: E & ParamsRule<E['path']>): Endpoint<E> {
  const names = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const keys = spec.params ? Object.keys(spec.params.shape) : [];
  if (names.join() !== keys.join()) {
    throw new Error(`${spec.name}: path ${spec.path} has params [${names}] but its params schema has [${keys}]`);
  }
  return Object.freeze({ ...spec, answer: spec.answer ?? 'json', errors: [...new Set(spec.errors)] }) as Endpoint<E>;
}

// ---- Types derived from an endpoint, for the server's handlers and the client's calls ----

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A file as a client sends it: the bytes, and optionally its name (and Content-Type when the bytes have none). */
export interface UploadInput {
  file: Blob | ArrayBuffer | Uint8Array;
  name?: string;
  type?: string;
  /** Multipart text fields besides the file (for endpoints with a `multipartField`). */
  fields?: Record<string, string>;
}

type JsonOf<E extends EndpointSpec> = E['body'] extends { json: infer J } ? J : undefined;
type FromParams<E extends EndpointSpec> = E['body'] extends { fromParams: readonly (infer K extends string)[] }
  ? K
  : never;

export type ParamsOf<E extends EndpointSpec> = Out<E['params']>;
export type ParamsInput<E extends EndpointSpec> = In<E['params']>;
export type QueryOf<E extends EndpointSpec> = Out<E['query']>;
export type QueryInput<E extends EndpointSpec> = In<E['query']>;
export type HeadersOf<E extends EndpointSpec> = Out<E['headers']>;
export type HeadersInput<E extends EndpointSpec> = In<E['headers']>;
/** The validated JSON body the server's handler gets (undefined for an upload, or when no JSON was sent). */
export type BodyOf<E extends EndpointSpec> = E['body'] extends { upload: UploadSpec }
  ? Out<JsonOf<E>> | undefined
  : Out<JsonOf<E>>;
/** What a client sends as the body: the JSON input (without `fromParams` keys), an upload, or either. */
export type BodyInput<E extends EndpointSpec> =
  | (JsonOf<E> extends z.ZodType ? DistributiveOmit<z.input<JsonOf<E>>, FromParams<E>> : never)
  | (E['body'] extends { upload: UploadSpec } ? UploadInput : never);
/** The 200 answer as the client reads it. */
export type OkOf<E extends EndpointSpec> = z.output<E['responses'][200]>;
/** The 200 answer as a handler may return it (before defaults and transforms). */
export type OkInput<E extends EndpointSpec> = z.input<E['responses'][200]>;
/** One event of an SSE answer, `{ event, data }`, discriminated by name. */
export type SseEventOf<E extends EndpointSpec> = E['sse'] extends SseSpec
  ? {
      [K in keyof E['sse']['events'] & string]: { event: K; data: z.output<E['sse']['events'][K]> };
    }[keyof E['sse']['events'] & string]
  : never;

type Field<K extends string, T> = [T] extends [undefined] ? { [P in K]?: undefined } : { [P in K]: T };
/** Everything a call of `E` takes: `{ params, query, headers, body }`, each present only when the endpoint has it. */
export type EndpointInput<E extends EndpointSpec> = Field<'params', ParamsInput<E>> &
  (E['query'] extends z.ZodType
    ? Record<never, never> extends QueryInput<E>
      ? { query?: QueryInput<E> }
      : { query: QueryInput<E> }
    : { query?: undefined }) &
  (E['headers'] extends z.ZodType ? { headers?: HeadersInput<E> } : { headers?: undefined }) &
  (E['body'] extends BodySpec ? { body: BodyInput<E> } : { body?: undefined });
