import type { H3Event } from 'h3';
import type { z } from 'zod';
import type {
  BodyOf,
  Endpoint,
  EndpointSpec,
  HeadersOf,
  OkInput,
  ParamsOf,
  QueryOf,
  SseSpec,
} from '../../shared/api/define';
import type { Services } from '../services';
import { readJson, validate } from './body';

interface HandlerContext<E extends EndpointSpec> {
  event: H3Event;
  services: Services;
  /** The JSON body, validated by the contract's schema (undefined for an upload: the handler reads it). */
  body: BodyOf<E>;
  query: QueryOf<E>;
  params: ParamsOf<E>;
  headers: HeadersOf<E>;
}

/** A handler may answer a raw Response only where the contract says the 200 is not plain JSON (page, file, SSE). */
type RawAllowed<E extends Endpoint> = E['answer'] extends 'json'
  ? E['sse'] extends SseSpec
    ? Response
    : never
  : Response;
type Answer<E extends Endpoint> = OkInput<E> | RawAllowed<E>;

export type Handler<E extends Endpoint> = (ctx: HandlerContext<E>) => Answer<E> | Promise<Answer<E>>;

/** A mounted route: its contract entry, and one function that validates the request and answers it. */
export interface Route {
  readonly endpoint: Endpoint;
  readonly method: Endpoint['method'];
  readonly path: string;
  /** The handler's answer, or a promise of it; throws (or rejects with) an ApiError for a bad request. */
  run(event: H3Event, services: Services): unknown;
}

interface ImplementOptions {
  /** The handler reads the JSON body itself (still with the contract's schema), e.g. to check its depth first. */
  readsBody?: true;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * Binds a handler to its contract entry (shared/api): params, query, headers and a JSON body are validated with the
 * entry's schemas before the handler runs, and the compiler checks the handler's answer against its 200 schema.
 */
export function implement<E extends Endpoint>(endpoint: E, handler: Handler<E>, options: ImplementOptions = {}): Route {
  type Ctx = HandlerContext<E>;
  const { params, query, headers } = endpoint;
  const headerNames = headers ? Object.keys(headers.shape) : [];
  const json = options.readsBody ? undefined : endpoint.body?.json;
  const jsonOrUpload = Boolean(json && endpoint.body?.upload);
  const fromParams = endpoint.body?.fromParams ?? [];
  const bigJson = endpoint.body?.jsonLimit === 'upload';
  return {
    endpoint,
    method: endpoint.method,
    path: endpoint.path,
    run(event, services) {
      const rawParams = (event.context.params ?? {}) as Record<string, string>;
      const ctx = {
        event,
        services,
        body: undefined,
        params: params ? validate(params, rawParams, 'params') : undefined,
        query: query ? validate(query, Object.fromEntries(event.url.searchParams), 'query') : undefined,
        headers: headers
          ? validate(
              headers,
              Object.fromEntries(headerNames.map((h) => [h, event.req.headers.get(h) ?? undefined])),
              'headers',
            )
          : undefined,
      } as Ctx;
      // Without a JSON body the handler is called at once: no extra promise for GET routes such as /health.
      if (!json || (jsonOrUpload && !JSON_TYPE.test(event.req.headers.get('content-type') ?? ''))) return handler(ctx);
      const limit = bigJson ? services.settings.uploadLimitBytes : services.settings.bodyLimitBytes;
      const base = fromParams.length ? Object.fromEntries(fromParams.map((k) => [k, rawParams[k]])) : undefined;
      return readJson(event, json as z.ZodType, limit, base).then((body) =>
        handler({ ...ctx, body: body as BodyOf<E> }),
      );
    },
  };
}
