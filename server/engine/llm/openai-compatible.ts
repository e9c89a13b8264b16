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

/**
 * Streams the model's answer, token by token, from a server-sent-events response. Throws LlmError when the
 * server is down, answers with an error, stays silent past the deadlines, or sends something unreadable.
 */
export async function* streamCompletion(settings: LlmSettings, messages: LlmMessage[], signal?: AbortSignal): AsyncGenerator<string> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort, { once: true });
  let timer = setTimeout(abort, Math.max(200, Math.round(settings.timeoutMs / 3)));
  const overall = setTimeout(abort, settings.timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetch(completionsUrl(settings.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}) },
        body: JSON.stringify({ model: settings.model, messages, stream: true, temperature: 0.4 }),
        signal: controller.signal,
      });
    } catch (error) {
      throw new LlmError(controller.signal.aborted ? 'the model did not answer in time' : `the model server is not reachable (${(error as Error).message})`);
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
        throw new LlmError(controller.signal.aborted ? 'the model stopped answering in time' : 'the model server closed the stream');
      }
      if (chunk.done) break;
      clearTimeout(timer);
      timer = setTimeout(abort, Math.max(200, Math.round(settings.timeoutMs / 3)));
      buffer += decoder.decode(chunk.value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') return;
        let parsed: { choices?: { delta?: { content?: unknown } }[] };
        try {
          parsed = JSON.parse(data) as typeof parsed;
        } catch {
          throw new LlmError('the model server sent an unreadable stream');
        }
        const content = parsed.choices?.[0]?.delta?.content;
        if (typeof content === 'string' && content.length) yield content;
      }
    }
  } finally {
    clearTimeout(timer);
    clearTimeout(overall);
    signal?.removeEventListener('abort', abort);
  }
}
