import { z } from 'zod';
import { ErrorBody } from '../shared/schemas/errors';
import { ClientMessage, ServerMessage } from '../shared/schemas/ws';
import { WS_PATH } from '../shared/constants';
import type { Route } from './http/route';

type JsonSchema = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input: the message names the field',
  401: 'Token required (CODETTE_TOKEN is set)',
  403: 'Host or Origin not allowed',
  404: 'Not found',
  413: 'Body too large',
  415: 'Body is not JSON',
  429: 'Rate limited: retry after Retry-After seconds',
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function toOpenApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

/** The OpenAPI 3.1 document, generated from the same route table and schemas the server validates with. */
export function buildOpenApi(routes: readonly Route[], version: string): JsonSchema {
  const errorRef = { $ref: '#/components/schemas/ErrorBody' };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = route.query ? schemaOf(route.query, 'input') : undefined;
    const queryParams = query
      ? Object.entries((query.properties ?? {}) as Record<string, JsonSchema>).map(([name, schema]) => ({
          name,
          in: 'query',
          required: ((query.required as string[] | undefined) ?? []).includes(name),
          schema,
        }))
      : [];
    const responses: Record<string, unknown> = {
      200: { description: 'OK', content: { 'application/json': { schema: schemaOf(route.response, 'output') } } },
    };
    for (const status of [...route.errors, 401, 403, 429]) {
      responses[status] = {
        description: STATUS_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: errorRef } },
      };
    }
    (paths[toOpenApiPath(route.path)] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      parameters: [...params, ...queryParams],
      ...(route.body
        ? {
            requestBody: {
              required: false,
              content: { 'application/json': { schema: schemaOf(route.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Codette companion server',
      version,
      description: `Codette's REST API on loopback. The WebSocket at ${WS_PATH} speaks the messages in x-websocket.`,
    },
    servers: [{ url: 'http://127.0.0.1:8000' }],
    paths,
    components: {
      schemas: { ErrorBody: schemaOf(ErrorBody, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Only when the server sets CODETTE_TOKEN' },
      },
    },
    'x-websocket': {
      path: WS_PATH,
      client_messages: schemaOf(ClientMessage, 'input'),
      server_messages: schemaOf(ServerMessage, 'output'),
    },
  };
}
