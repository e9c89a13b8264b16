/** Ollama's own chat API: POST /api/chat with stream: true answers one JSON object per line. */
import { LlmError, type LlmMessage, type LlmSettings } from './openai-compatible';

export async function* streamOllamaChat(settings: LlmSettings, messages: LlmMessage[], signal?: AbortSignal): AsyncGenerator<string> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort, { once: true });
  let timer = setTimeout(abort, Math.max(200, Math.round(settings.timeoutMs / 3)));
  const overall = setTimeout(abort, settings.timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetch(`${settings.url.replace(/\/+$/, '')}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: settings.model, messages, stream: true, options: { temperature: 0.4 } }),
        signal: controller.signal,
      });
    } catch (error) {
      throw new LlmError(controller.signal.aborted ? 'the model did not answer in time' : `the model server is not reachable (${(error as Error).message})`);
    }
    if (!res.ok || !res.body) throw new LlmError(`the model server answered ${res.status}`);
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    let buffer = '';
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw new LlmError(controller.signal.aborted ? 'the model stopped answering in time' : 'the model server closed the stream');
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
        let parsed: { message?: { content?: unknown }; done?: unknown; error?: unknown };
        try {
          parsed = JSON.parse(line) as typeof parsed;
        } catch {
          throw new LlmError('the model server sent an unreadable stream');
        }
        if (typeof parsed.error === 'string') throw new LlmError(`the model server said: ${parsed.error}`);
        const content = parsed.message?.content;
        if (typeof content === 'string' && content.length) yield content;
        if (parsed.done === true) return;
      }
    }
  } finally {
    clearTimeout(timer);
    clearTimeout(overall);
    signal?.removeEventListener('abort', abort);
  }
}
