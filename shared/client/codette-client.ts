import { api, type Api } from '../api/index';
import type { Endpoint, EndpointInput, OkOf, SseEventOf, UploadInput } from '../api/define';
import type { AccessResult } from '../api/access';
import { DEFAULT_SERVER_URL } from '../constants';
import type { TransportAction, TransportCommandInput } from '../schemas/transport';
import { callEndpoint, streamEndpoint, type CallContext, type CallOptions, type StreamOptions } from './rest/call';
import type { XhrConstructor } from './rest/xhr.browser';
import type { UploadProgress } from './rest/wire';
import { fail, ok, type Result } from './rest/result';
import { CodetteSocket, type CodetteSocketOptions } from './socket/client-socket';

export interface CodetteClientOptions {
  /** Defaults to http://127.0.0.1:8000. */
  baseUrl?: string;
  /** The server's CODETTE_TOKEN, when it sets one. */
  token?: string;
  /** Headers sent with every call. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Used for uploads with progress in browsers; found on globalThis when not given. */
  XMLHttpRequest?: XhrConstructor;
}

type Op = keyof Api;
type In<N extends Op> = EndpointInput<Api[N]>;
type Out<N extends Op> = Promise<Result<OkOf<Api[N]>>>;
type Body<N extends Op> = In<N> extends { body: infer B } ? B : never;
type Query<N extends Op> = In<N> extends { query?: infer Q } ? Q : never;

/** A file to upload: its bytes, and optionally its name and Content-Type. */
export type FileInput = UploadInput['file'];
export interface UploadOptions extends CallOptions {
  name?: string;
  type?: string;
  onUploadProgress?: (progress: UploadProgress) => void;
}

/**
 * Codette's API for web DAWs and scripts: every endpoint of the contract (`shared/api`) as a typed call. Calls return
 * a `Result`: `{ ok: true, value }` or `{ ok: false, error: { code, message, status } }`; they never throw for a
 * failed request. `socket()` opens the WebSocket (typed events, reconnects, messages delivered once by id).
 */
export class CodetteClient {
  readonly baseUrl: string;
  readonly #context: CallContext;

  constructor(private readonly options: CodetteClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_SERVER_URL).replace(/\/+$/, '');
    const xhr = options.XMLHttpRequest ?? (globalThis as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest;
    this.#context = {
      baseUrl: this.baseUrl,
      token: options.token,
      headers: options.headers,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      ...(xhr ? { XMLHttpRequest: xhr } : {}),
    };
  }

  /** Calls any endpoint of the contract: `client.call(api['sessions.list'], { query: { limit: 10 } })`. */
  call<E extends Endpoint>(endpoint: E, input: EndpointInput<E>, options?: CallOptions): Promise<Result<OkOf<E>>> {
    return callEndpoint(this.#context, endpoint, input, options);
  }

  /** Calls an endpoint that streams Server-Sent Events; the result is the final event. */
  stream<E extends Endpoint>(
    endpoint: E,
    input: EndpointInput<E>,
    options?: StreamOptions<E>,
  ): Promise<Result<SseEventOf<E>>> {
    return streamEndpoint(this.#context, endpoint, input, options);
  }

  #op<N extends Op>(name: N, input: In<N>, options?: CallOptions): Out<N> {
    return this.call(api[name] as Api[N], input, options) as Out<N>;
  }

  readonly service = {
    info: () => this.#op('service.info', {}),
    health: () => this.#op('service.health', {}),
    openapi: () => this.#op('service.openapi', {}),
    docs: () => this.#op('service.docs', {}),
  };

  readonly chat = {
    /** Asks Codette and waits for the whole answer. */
    send: (body: Body<'chat.send'>, options?: CallOptions) => this.#op('chat.send', { body }, options),
    /** Asks Codette and gets the answer's text as it is written (`onDelta`), then the whole reply. */
    stream: async (
      body: Body<'chat.send'>,
      options: CallOptions & { onDelta?: (text: string) => void } = {},
    ): Out<'chat.send'> => {
      const { onDelta, ...rest } = options;
      const final = await this.stream(
        api['chat.send'],
        { body },
        {
          ...rest,
          onEvent: (e) => e.event === 'delta' && onDelta?.(e.data.text),
        },
      );
      if (!final.ok) return final;
      return final.value.event === 'reply' ? ok(final.value.data) : fail(unexpected(final.value.event));
    },
    suggest: (body: Body<'chat.suggest'>) => this.#op('chat.suggest', { body }),
  };

  readonly llm = {
    status: () => this.#op('llm.status', {}),
    choose: (body: Body<'llm.choose'>) => this.#op('llm.choose', { body }),
  };

  readonly transport = {
    /** The transport state (GET /codette/status). */
    status: () => this.#op('transport.status', {}),
    /** Any command; with `idempotencyKey` a retry after a network error is applied once. */
    command: (command: TransportCommandInput, options?: CallOptions) =>
      this.#op('transport.command', { body: command }, options),
    play: (options?: CallOptions) => this.transport.command({ action: 'play' }, options),
    pause: (options?: CallOptions) => this.transport.command({ action: 'pause' }, options),
    resume: (options?: CallOptions) => this.transport.command({ action: 'resume' }, options),
    stop: (options?: CallOptions) => this.transport.command({ action: 'stop' }, options),
    record: (enabled = true, options?: CallOptions) => this.transport.command({ action: 'record', enabled }, options),
    tempo: (bpm: number, options?: CallOptions) => this.transport.command({ action: 'tempo', bpm }, options),
    metronome: (enabled: boolean, options?: CallOptions) =>
      this.transport.command({ action: 'metronome', enabled }, options),
    /** The same commands with the action in the path (POST /transport/:action). */
    action: (action: TransportAction, body: Record<string, unknown> = {}, options?: CallOptions) =>
      this.#op('transport.action', { params: { action }, body: body as Body<'transport.action'> }, options),
    /** The transport state (GET /transport/status). */
    state: () => this.#op('transport.state', {}),
  };

  readonly sessions = {
    list: (query?: Query<'sessions.list'>) => this.#op('sessions.list', { query }),
    messages: (id: string, query?: Query<'sessions.messages'>) =>
      this.#op('sessions.messages', { params: { id }, query }),
    delete: (id: string) => this.#op('sessions.delete', { params: { id } }),
    /** Every session, page after page (`limit` per call). Stops at the first failed page, yielding its error. */
    all: (limit = 50) =>
      pages(
        (before) => this.sessions.list({ limit, before }),
        (p) => p.sessions,
        (p) => p.next_before,
      ),
    /** Every message of a session, oldest first, page after page. */
    allMessages: (id: string, limit = 500) =>
      pages(
        (after) => this.sessions.messages(id, { limit, after }),
        (p) => p.messages,
        (p) => p.next_after,
      ),
  };

  readonly feedback = {
    send: (body: Body<'feedback.send'>) => this.#op('feedback.send', { body }),
  };

  readonly files = {
    /** Uploads a file with upload progress (XMLHttpRequest in browsers, a streamed body on Node). */
    upload: (file: FileInput, options: UploadOptions & { sessionId?: string } = {}) => {
      const { name, type, sessionId, ...rest } = options;
      const query = { ...(name ? { name } : {}), ...(sessionId ? { session_id: sessionId } : {}) };
      return this.#op('files.upload', { query, body: { file, name, type } }, rest);
    },
    list: (query?: Query<'files.list'>) => this.#op('files.list', { query }),
    all: (limit = 50) =>
      pages(
        (before) => this.files.list({ limit, before }),
        (p) => p.files,
        (p) => p.next_before,
      ),
  };

  readonly analysis = {
    /**
     * Measures a WAV: upload progress (`onUploadProgress`), then the analysis's own progress (`onProgress`, from the
     * server's event stream), then the report.
     */
    audio: async (
      wav: FileInput,
      options: UploadOptions & {
        query?: Query<'analyze.audio'>;
        onProgress?: (p: { fraction: number; stage: string }) => void;
      } = {},
    ): Out<'analyze.audio'> => {
      const { name, type, query, onProgress, ...rest } = options;
      const final = await this.stream(
        api['analyze.audio'],
        { query: { ...query, ...(name ? { name } : {}) }, body: { file: wav, name, type } },
        { ...rest, onEvent: (e) => e.event === 'progress' && onProgress?.(e.data) },
      );
      if (!final.ok) return final;
      return final.value.event === 'report' ? ok(final.value.data) : fail(unexpected(final.value.event));
    },
    session: (body: Body<'analyze.session'>) => this.#op('analyze.session', { body }),
    mixing: (body: Body<'analyze.mixing'>) => this.#op('analyze.mixing', { body }),
    routing: (body: Body<'analyze.routing'>) => this.#op('analyze.routing', { body }),
    mastering: (body: Body<'analyze.mastering'>) => this.#op('analyze.mastering', { body }),
    creative: (body: Body<'analyze.creative'>) => this.#op('analyze.creative', { body }),
    gainStaging: (body: Body<'analyze.gainStaging'>) => this.#op('analyze.gainStaging', { body }),
    stream: (body: Body<'analyze.stream'>) => this.#op('analyze.stream', { body }),
    delaySync: (query: Query<'analysis.delaySync'>) => this.#op('analysis.delaySync', { query }),
    earTraining: (query?: Query<'analysis.earTraining'>) => this.#op('analysis.earTraining', { query }),
    productionChecklist: (query?: Query<'analysis.productionChecklist'>) =>
      this.#op('analysis.productionChecklist', { query }),
    instrumentInfo: (query?: Query<'analysis.instrumentInfo'>) => this.#op('analysis.instrumentInfo', { query }),
    /** Genre candidates from measured features (JSON) or from a WAV ({ file }). */
    detectGenre: (body: Body<'analysis.detectGenre'>, query?: Query<'analysis.detectGenre'>, options?: UploadOptions) =>
      this.#op('analysis.detectGenre', { body, query }, options),
  };

  readonly diagnostics = {
    status: () => this.#op('diagnostics.status', {}),
    cache: () => this.#op('diagnostics.cache', {}),
    endpoints: () => this.#op('diagnostics.endpoints', {}),
    dependencies: () => this.#op('diagnostics.dependencies', {}),
    performance: () => this.#op('diagnostics.performance', {}),
    credentials: () => this.#op('diagnostics.credentials', {}),
    database: () => this.#op('diagnostics.database', {}),
    rlsPolicies: () => this.#op('diagnostics.rlsPolicies', {}),
  };

  readonly cache = {
    stats: () => this.#op('cache.stats', {}),
    clear: () => this.#op('cache.clear', {}),
  };

  readonly data = {
    export: () => this.#op('data.export', {}),
    import: (body: Body<'data.import'>) => this.#op('data.import', { body }),
  };

  readonly extensions = {
    list: () => this.#op('extensions.list', {}),
    approve: (body: Body<'extensions.approve'>) => this.#op('extensions.approve', { body }),
  };

  /** Pairing: the user's side (list, decide, revoke) is for the extension and local tools, not for web pages. */
  readonly access = {
    request: (body: Body<'access.request'>, query?: Query<'access.request'>) =>
      this.#op('access.request', { body, query }),
    list: () => this.#op('access.list', {}),
    decide: (origin: string, decision: 'allowed' | 'denied') =>
      this.#op('access.decide', { params: { origin }, body: { decision } }),
    revoke: (origin: string) => this.#op('access.revoke', { params: { origin } }),
  };

  /**
   * Asks the user to let this page use Codette: the extension shows "‹origin› (name) wants to use Codette". Waits
   * for the click (asking again while the server answers `pending`), and resolves with `allowed`, `denied` or
   * `expired` (nobody answered in 2 minutes).
   */
  async requestAccess(
    body: Body<'access.request'>,
    options: { signal?: AbortSignal; waitSeconds?: number } = {},
  ): Promise<Result<AccessResult>> {
    for (;;) {
      const started = Date.now();
      const query = options.waitSeconds === undefined ? undefined : { wait: options.waitSeconds };
      const answer = await this.#op('access.request', { body, query }, { signal: options.signal });
      if (!answer.ok || answer.value.status !== 'pending') return answer;
      // The server held the request `wait` seconds; with a short wait, ask again at most once a second.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_000 - (Date.now() - started))));
      if (options.signal?.aborted) return fail({ code: 'aborted', status: null, message: 'The call was aborted.' });
    }
  }

  /** The WebSocket: `connect()`, then `on(type, …)`, `deliver(message)`, `chat(request)`. */
  socket(options: CodetteSocketOptions = {}): CodetteSocket {
    const token = this.options.token;
    return new CodetteSocket(
      { config: { serverUrl: this.baseUrl, ...(token ? { token } : {}) }, fetch: this.#context.fetch },
      options,
    );
  }
}

export function createCodetteClient(options?: CodetteClientOptions): CodetteClient {
  return new CodetteClient(options);
}

function unexpected(event: string) {
  return { code: 'invalid_response' as const, status: null, message: `unexpected final event ${event}` };
}

/** Walks a paged list: yields each item, or the failed page's result and stops. */
async function* pages<P, T>(
  fetchPage: (cursor: string | undefined) => Promise<Result<P>>,
  items: (page: P) => T[],
  next: (page: P) => string | null,
): AsyncGenerator<Result<T>> {
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    if (!page.ok) {
      yield page;
      return;
    }
    for (const item of items(page.value)) yield ok(item);
    const after = next(page.value);
    if (!after) return;
    cursor = after;
  }
}
