import type { Endpoint, UploadInput } from '../../api/define';
import { describeIssues, summariseIssues } from '../../schemas/errors';
import { fail, ok, type Result } from './result';

/** What a call takes, whatever the endpoint: checked against the endpoint's schemas before anything is sent. */
export interface CallInput {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  /** Request headers the endpoint declares (`idempotency-key`). */
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

export type RequestBody = string | Blob | Uint8Array | FormData;

export interface PreparedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: RequestBody;
  /** The body's size in bytes when known (for upload progress). */
  size?: number;
}

export interface RequestContext {
  baseUrl: string;
  token?: string;
  headers?: Record<string, string>;
}

export function isUploadInput(body: unknown): body is UploadInput {
  if (typeof body !== 'object' || body === null || !('file' in body)) return false;
  const file = (body as { file: unknown }).file;
  return (
    file instanceof Uint8Array || file instanceof ArrayBuffer || (typeof Blob !== 'undefined' && file instanceof Blob)
  );
}

function refused(where: string, issues: Parameters<typeof describeIssues>[0]): Result<never> {
  const fields = describeIssues(issues, where);
  return fail({ code: 'invalid_request', status: null, message: summariseIssues(fields), details: { issues: fields } });
}

function fillPath(path: string, params: Record<string, unknown>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(params[name])));
}

function queryString(query: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

function uploadBody(endpoint: Endpoint, input: UploadInput): { body: RequestBody; type?: string; size?: number } {
  const file =
    input.file instanceof ArrayBuffer
      ? new Uint8Array(input.file)
      : input.file instanceof Uint8Array
        ? input.file
        : (input.file as Blob);
  const field = endpoint.body?.upload?.multipartField;
  if (field && input.fields && Object.keys(input.fields).length > 0) {
    const form = new FormData();
    for (const [k, v] of Object.entries(input.fields)) form.append(k, v);
    const blob =
      file instanceof Blob
        ? file
        : new Blob([file as Uint8Array<ArrayBuffer>], { type: input.type ?? defaultType(endpoint) });
    form.append(field, blob, input.name ?? 'upload');
    return { body: form };
  }
  const type = input.type ?? (file instanceof Blob && file.type ? file.type : defaultType(endpoint));
  return { body: file, type, size: file instanceof Blob ? file.size : file.byteLength };
}

function defaultType(endpoint: Endpoint): string {
  return endpoint.body?.upload?.types[0] ?? 'application/octet-stream';
}

/** Builds the HTTP request of one call, or refuses an input the endpoint's schemas reject (naming the field). */
export function prepareRequest(
  endpoint: Endpoint,
  input: CallInput,
  context: RequestContext,
  extraHeaders: Record<string, string> = {},
): Result<PreparedRequest> {
  const params = input.params ?? {};
  if (endpoint.params) {
    const checked = endpoint.params.safeParse(params);
    if (!checked.success) return refused('params', checked.error.issues);
  }
  if (endpoint.query) {
    const checked = endpoint.query.safeParse(input.query ?? {});
    if (!checked.success) return refused('query', checked.error.issues);
  }
  if (endpoint.headers) {
    const checked = endpoint.headers.safeParse(input.headers ?? {});
    if (!checked.success) return refused('headers', checked.error.issues);
  }
  const declared = Object.entries(input.headers ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...context.headers,
    ...Object.fromEntries(declared),
    ...extraHeaders,
  };
  if (context.token) headers.authorization = `Bearer ${context.token}`;
  const url = context.baseUrl.replace(/\/+$/, '') + fillPath(endpoint.path, params) + queryString(input.query);
  const request: PreparedRequest = { method: endpoint.method, url, headers };
  const spec = endpoint.body;
  if (spec?.upload && isUploadInput(input.body)) {
    const { body, type, size } = uploadBody(endpoint, input.body);
    request.body = body;
    if (type) headers['content-type'] = type;
    if (size !== undefined) request.size = size;
    // A raw upload names its file in the query when the endpoint takes a name there.
    if (input.body.name && !(body instanceof FormData) && endpoint.query?.shape && 'name' in endpoint.query.shape) {
      const u = new URL(url);
      if (!u.searchParams.has('name')) u.searchParams.set('name', input.body.name);
      request.url = u.toString();
    }
  } else if (spec?.json) {
    const fromParams = Object.fromEntries((spec.fromParams ?? []).map((k) => [k, params[k]]));
    const body = input.body ?? {};
    const checked = spec.json.safeParse(
      typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, ...fromParams } : body,
    );
    if (!checked.success) return refused('body', checked.error.issues);
    request.body = JSON.stringify(body);
    headers['content-type'] = 'application/json';
    request.size = new TextEncoder().encode(request.body).byteLength;
  } else if (spec?.upload) {
    return fail({
      code: 'invalid_request',
      status: null,
      message: 'body: a file to upload ({ file: Blob | ArrayBuffer | Uint8Array, name?, type? })',
    });
  }
  return ok(request);
}
