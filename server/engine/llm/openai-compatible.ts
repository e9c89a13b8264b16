/** A chat message in the OpenAI chat-completions format that Ollama, LM Studio and llama.cpp's server all speak. */
export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmSettings {
  url: string;
  model: string;
  apiKey?: string;
  /** The whole answer must arrive within this; the first token within a third of it. */
  timeoutMs: number;
}

/** Why the model could not be used: the engine falls back to its own answer and tells the user this. */
export class LlmError extends Error {
  override name = 'LlmError';
}

export function completionsUrl(base: string): string {
  const url = base.replace(/\/+$/, '');
  if (url.endsWith('/chat/completions')) return url;
  return url.endsWith('/v1') ? `${url}/chat/completions` : `${url}/v1/chat/completions`;
}

/** What one line of a streamed answer holds: text to add, the end of the answer, or nothing. */
export interface StreamLine {
  text?: string;
  done?: boolean;
}

/**
 * POSTs a chat request and reads the streamed answer line by line, with the deadlines both APIs share: the first
 * (and each next) chunk within a third of the timeout, the whole answer within it. Throws LlmError when the server is
 * down, answers with an error, stays silent, or sends a line `parse` cannot read.
 */
export async function* streamLines(
  settings: LlmSettings,
  url: string,
  init: { headers: Record<string, string>; body: unknown },
  parse: (line: string) => StreamLine,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort, { once: true });
  let timer = setTimeout(abort, Math.max(200, Math.round(settings.timeoutMs / 3)));
  const overall = setTimeout(abort, settings.timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        body: JSON.stringify(init.body),
        signal: controller.signal,
      });
    } catch (error) {
      throw new LlmError(
        controller.signal.aborted
          ? 'the model did not answer in time'
          : `the model server is not reachable (${(error as Error).message})`,
      );
    }
    if (!res.ok || !res.body) throw new LlmError(`the model server answered ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw new LlmError(
          controller.signal.aborted ? 'the model stopped answering in time' : 'the model server closed the stream',
        );
      }
      if (chunk.done) return;
      clearTimeout(timer);
      timer = setTimeout(abort, Math.max(200, Math.round(settings.timeoutMs / 3)));
      buffer += decoder.decode(chunk.value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        const { text, done } = parse(line);
        if (text) yield text;
        if (done) return;
      }
    }
  } finally {
    clearTimeout(timer);
    clearTimeout(overall);
    signal?.removeEventListener('abort', abort);
  }
}

/** One server-sent event of an OpenAI-compatible chat completion stream. */
function parseSse(line: string): StreamLine {
  if (!line.startsWith('data:')) return {};
  const data = line.slice(5).trim();
  if (data === '[DONE]') return { done: true };
  let parsed: { choices?: { delta?: { content?: unknown } }[] };
  try {
    parsed = JSON.parse(data) as typeof parsed;
  } catch {
    throw new LlmError('the model server sent an unreadable stream');
  }
  const content = parsed.choices?.[0]?.delta?.content;
  return typeof content === 'string' ? { text: content } : {};
}

/** Streams the model's answer, token by token, from an OpenAI-compatible server's server-sent events. */
export function streamCompletion(
  settings: LlmSettings,
  messages: LlmMessage[],
  signal?: AbortSignal,
): AsyncGenerator<string> {
  return streamLines(
    settings,
    completionsUrl(settings.url),
    {
      headers: {
        accept: 'text/event-stream',
        ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
      },
      body: { model: settings.model, messages, stream: true, temperature: 0.4 },
    },
    parseSse,
    signal,
  );
}
