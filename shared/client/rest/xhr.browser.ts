import { noAnswer, type RawResponse, type SendOptions } from './wire';
import type { PreparedRequest } from './request';
import { fail, ok, type Result } from './result';

/** The part of the browser's XMLHttpRequest the client uses: the one API that reports upload progress there. */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getResponseHeader(name: string): string | null;
  send(body?: unknown): void;
  abort(): void;
  readonly readyState: number;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onreadystatechange: (() => void) | null;
  onprogress: (() => void) | null;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}
export type XhrConstructor = new () => XhrLike;

const HEADERS_RECEIVED = 2;

/** Pieces of text pushed by XHR events, read as an async iterable. */
class TextQueue {
  #pieces: string[] = [];
  #done = false;
  #wake: (() => void) | null = null;
  push(piece: string) {
    if (piece) this.#pieces.push(piece);
    this.#wake?.();
  }
  end() {
    this.#done = true;
    this.#wake?.();
  }
  async *read(): AsyncIterable<string> {
    for (;;) {
      const piece = this.#pieces.shift();
      if (piece !== undefined) yield piece;
      else if (this.#done) return;
      else await new Promise<void>((r) => (this.#wake = r));
    }
  }
}

/** Sends with XMLHttpRequest, reporting upload progress; the answer streams (responseText grows as it arrives). */
export function sendWithXhr(
  Ctor: XhrConstructor,
  request: PreparedRequest,
  options: SendOptions,
): Promise<Result<RawResponse>> {
  return new Promise((resolve) => {
    const xhr = new Ctor();
    const queue = new TextQueue();
    let seen = 0;
    let answered = false;
    const drain = () => {
      const text = xhr.responseText;
      queue.push(text.slice(seen));
      seen = text.length;
    };
    const whole = new Promise<string>((r) => {
      xhr.onload = () => {
        drain();
        queue.end();
        r(xhr.responseText);
      };
    });
    xhr.open(request.method, request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) =>
      options.onUploadProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : (request.size ?? null) });
    xhr.onreadystatechange = () => {
      if (xhr.readyState < HEADERS_RECEIVED || answered) return;
      answered = true;
      resolve(
        ok({
          status: xhr.status,
          contentType: xhr.getResponseHeader('content-type') ?? '',
          text: () => whole,
          chunks: () => queue.read(),
        }),
      );
    };
    xhr.onprogress = drain;
    const failed = (error: Error) => () => {
      queue.end();
      if (answered) return;
      answered = true;
      void noAnswer(request.url, error).then((e) => resolve(fail(e)));
    };
    const aborted = new Error('aborted');
    aborted.name = 'AbortError';
    xhr.onerror = failed(new TypeError('network error'));
    xhr.onabort = failed(aborted);
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(request.body);
  });
}
