import { z } from 'zod';
import { endpoints, socket } from '../shared/api/index';
import type { Endpoint } from '../shared/api/define';
import { COMMON_ERRORS, ERROR_STATUS } from '../shared/api/errors';
import { ErrorBody, type ErrorCode } from '../shared/schemas/errors';

type JsonSchema = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input: the message names the field',
  401: 'Sign-in or token required',
  403: 'Host, Origin or caller not allowed',
  404: 'Not found',
  408: 'The request took too long to arrive',
  409: 'Conflicts with the server’s settings or data',
  413: 'Body too large',
  415: 'Body of a type this endpoint does not take',
  422: 'A file this endpoint cannot use',
  429: 'Rate limited: retry after Retry-After seconds',
  431: 'Request headers too large',
  500: 'Server error (logged; never a stack trace)',
  503: 'Temporarily unavailable: retry later',
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Path, query and header parameters, each with its schema from the contract. */
function parametersOf(endpoint: Endpoint): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', endpoint.params],
    ['query', endpoint.query],
    ['header', endpoint.headers],
  ] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, 'input');
    const required = (json.required as string[] | undefined) ?? [];
    for (const [name, property] of Object.entries((json.properties ?? {}) as Record<string, JsonSchema>))
      out.push({ name, in: where, required: where === 'path' || required.includes(name), schema: property });
  }
  return out;
}

function requestBodyOf(endpoint: Endpoint): JsonSchema | undefined {
  const { body } = endpoint;
  if (!body) return undefined;
  const content: Record<string, unknown> = {};
  if (body.json) content['application/json'] = { schema: schemaOf(body.json, 'input') };
  const file = { type: 'string', format: 'binary' };
  for (const type of body.upload?.types ?? []) content[type] = { schema: file };
  if (body.upload?.multipartField) {
    const properties = { [body.upload.multipartField]: file };
    content['multipart/form-data'] = {
      schema: { type: 'object', properties, required: [body.upload.multipartField] },
    };
  }
  return {
    // A JSON body may be empty where every field is optional (POST /transport/play); an upload never is.
    required: Boolean(body.upload) && !body.json,
    content,
    ...(body.fromParams?.length ? { 'x-from-params': body.fromParams } : {}),
  };
}

function okResponseOf(endpoint: Endpoint): JsonSchema {
  const schema = schemaOf(endpoint.responses[200], 'output');
  const content: Record<string, unknown> =
    endpoint.answer === 'html' ? { 'text/html': { schema } } : { 'application/json': { schema } };
  if (endpoint.sse) {
    const events = Object.fromEntries(
      Object.entries(endpoint.sse.events).map(([name, s]) => [name, schemaOf(s, 'output')]),
    );
    content['text/event-stream'] = {
      schema: { type: 'string', description: `Server-Sent Events: ${Object.keys(events).join(', ')}` },
      'x-sse-events': events,
      'x-sse-final': endpoint.sse.final,
    };
  }
  return {
    description: endpoint.sse ? 'OK (JSON, or an event stream with Accept: text/event-stream)' : 'OK',
    ...(endpoint.answer === 'download'
      ? { headers: { 'content-disposition': { schema: { type: 'string' }, description: 'attachment; filename=…' } } }
      : {}),
    content,
  };
}

/** One response per error status, listing the codes it may carry (the endpoint's own and the guard's). */
function errorResponsesOf(endpoint: Endpoint): Record<string, JsonSchema> {
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of [...endpoint.errors, ...COMMON_ERRORS]) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  const out: Record<string, JsonSchema> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const list = [...codes];
    out[status] = {
      description: `${STATUS_TEXT[status] ?? 'Error'}: ${list.join(', ')}`,
      content: {
        'application/json': {
          schema: {
            allOf: [
              { $ref: '#/components/schemas/ErrorBody' },
              { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: list } } } } },
            ],
          },
        },
      },
      'x-error-codes': list,
    };
  }
  return out;
}

/** The OpenAPI 3.1 document, generated from the contract in shared/api alone. */
export function buildOpenApi(version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    const requestBody = requestBodyOf(endpoint);
    (paths[toOpenApiPath(endpoint.path)] ??= {})[endpoint.method.toLowerCase()] = {
      operationId: endpoint.name,
      summary: endpoint.summary,
      ...(endpoint.description ? { description: endpoint.description } : {}),
      tags: [endpoint.tag],
      parameters: parametersOf(endpoint),
      ...(requestBody ? { requestBody } : {}),
      responses: { 200: okResponseOf(endpoint), ...errorResponsesOf(endpoint) },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Codette companion server',
      version,
      description: `Codette's REST API on loopback. The WebSocket at ${socket.path} speaks the messages in x-websocket.`,
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
      path: socket.path,
      client_messages: schemaOf(socket.client, 'input'),
      server_messages: schemaOf(socket.server, 'output'),
      on_open: socket.onOpen,
      replies: socket.replies,
      topics: socket.topics,
      to_extension: socket.toExtension,
      error_codes: socket.errors,
    },
  };
}
