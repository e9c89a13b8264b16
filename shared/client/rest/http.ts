import { addressSpaceInit } from '../local-network';
import type { PreparedRequest } from './request';
import { fail, ok, type Result } from './result';
import { noAnswer, type RawResponse, type SendOptions, type UploadProgress } from './wire';
import { sendWithXhr, type XhrConstructor } from './xhr.browser';

export interface HttpDeps {
  fetch: typeof fetch;
  /** Used for uploads with progress where it exists (browsers): fetch cannot report upload progress there. */
  XMLHttpRequest?: XhrConstructor;
}

/** Size of the pieces a streamed upload body is cut into: each one is a progress report. */
const UPLOAD_CHUNK_BYTES = 64 * 1024;

function fromFetch(res: Response): RawResponse {
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text: () => res.text(),
    async *chunks() {
      if (!res.body) return;
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        yield decoder.decode(value, { stream: true });
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    },
  };
}

async function bytesOf(body: string | Blob | Uint8Array): Promise<Uint8Array> {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  return new Uint8Array(await body.arrayBuffer());
}

/** A request body that reports each piece as fetch pulls it (Node 20's fetch streams a body with `duplex: 'half'`). */
function progressStream(bytes: Uint8Array, report: (p: UploadProgress) => void): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      const piece = bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES);
      offset += piece.byteLength;
      controller.enqueue(piece);
      report({ loaded: offset, total: bytes.byteLength });
    },
  });
}

/** Sends a prepared request: fetch by default, XMLHttpRequest for a browser upload with progress. */
export async function sendRequest(
  request: PreparedRequest,
  options: SendOptions,
  deps: HttpDeps,
): Promise<Result<RawResponse>> {
  const { onUploadProgress } = options;
  const binary = request.body !== undefined && !(request.body instanceof FormData);
  if (onUploadProgress && deps.XMLHttpRequest) return sendWithXhr(deps.XMLHttpRequest, request, options);
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: request.headers,
    cache: 'no-store',
    ...(options.signal ? { signal: options.signal } : {}),
    ...addressSpaceInit(request.url),
  };
  if (onUploadProgress && binary && request.body !== undefined && !(request.body instanceof FormData)) {
    const bytes = await bytesOf(request.body);
    onUploadProgress({ loaded: 0, total: bytes.byteLength });
    init.body = progressStream(bytes, onUploadProgress);
    init.duplex = 'half';
  } else if (request.body !== undefined) {
    init.body = request.body as BodyInit;
  }
  try {
    const res = await deps.fetch(request.url, init);
    return ok(fromFetch(res));
  } catch (error) {
    return fail(await noAnswer(request.url, error));
  }
}
