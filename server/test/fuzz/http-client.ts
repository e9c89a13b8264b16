/** A raw HTTP client for fuzzing: sends the path, headers and bytes as given (fetch would normalise them). */
import { Agent, request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

type RawRequest = {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  timeoutMs?: number;
};

/**
 * A kept-alive socket that the server closes (its keep-alive timeout) just as a request goes out on it resets: the
 * request never reached the server, so it is sent again once on a fresh socket (the race node's docs describe).
 */
export async function rawRequest(base: string, options: RawRequest): Promise<RawResponse> {
  try {
    return await sendOnce(base, options);
  } catch (e) {
    if (e instanceof StaleSocketError) return sendOnce(base, options);
    throw e;
  }
}

class StaleSocketError extends Error {}

function sendOnce(base: string, options: RawRequest): Promise<RawResponse> {
  const url = new URL(base);
  // Always frame the body: node:http sends a GET/DELETE body with neither Content-Length nor chunking, which the
  // server would rightly read as the start of the next request.
  const headers = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: options.method, path: options.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 15_000, () =>
      req.destroy(new Error(`no answer within ${options.timeoutMs ?? 15_000} ms`)),
    );
    req.on('error', (e: NodeJS.ErrnoException) =>
      reject(req.reusedSocket && e.code === 'ECONNRESET' ? new StaleSocketError(e.message) : e),
    );
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

/** A header value node:http will send: no control characters, nothing above U+00FF. */
export const headerSafe = (s: string) => s.replace(/[^\x20-\x7e\x80-\xff]/g, '').trim();

/** A path segment node:http will send as is (no space, control or non-Latin-1 character). */
export const pathSafe = (s: string) => s.replace(/[^\x21-\x7e]/g, '');
