import type { H3Event } from 'h3';
import type { z } from 'zod';
import type { Services } from '../services';
import { readJson, validate } from './body';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RouteContext<B, Q> {
  event: H3Event;
  services: Services;
  body: B;
  query: Q;
  params: Record<string, string>;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined, R extends z.ZodType> {
  method: HttpMethod;
  /** rou3 pattern, e.g. `/codette/sessions/:id`. */
  path: string;
  summary: string;
  tag: string;
  description?: string;
  body?: B;
  query?: Q;
  /** The 200 answer's schema, used for the API reference. */
  response: R;
  /** Error statuses this route answers besides the ones every route may (403, 401, 429), for the reference. */
  errors?: number[];
  /** Fields a route takes from its path into the body before validation (`/transport/:action`). */
  bodyFromParams?: (params: Record<string, string>) => Record<string, unknown>;
  handler(ctx: RouteContext<Out<B>, Out<Q>>): Promise<z.input<R> | Response> | z.input<R> | Response;
}

/** A route as the app and the reference see it: its description and one function that validates and answers. */
export interface Route {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  description?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  response: z.ZodType;
  errors: number[];
  /** The handler's answer, or a promise of it; throws (or rejects with) an ApiError for a bad request. */
  run(event: H3Event, services: Services): unknown;
}

export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(spec: RouteSpec<B, Q, R>): Route {
  const { handler, body, query, bodyFromParams, ...info } = spec;
  return {
    ...info,
    body,
    query,
    errors: spec.errors ?? [],
    run(event, services) {
      const params = (event.context.params ?? {}) as Record<string, string>;
      const parsedQuery = query ? validate(query, Object.fromEntries(event.url.searchParams), 'query') : undefined;
      // Without a body the handler is called at once: no extra promise for GET routes such as /health.
      if (!body) return handler({ event, services, body: undefined as Out<B>, query: parsedQuery as Out<Q>, params });
      return readJson(event, body, services.settings.bodyLimitBytes, bodyFromParams?.(params)).then((parsedBody) =>
        handler({ event, services, body: parsedBody as Out<B>, query: parsedQuery as Out<Q>, params }),
      );
    },
  };
}
