/** Ollama's own chat API: POST /api/chat with stream: true answers one JSON object per line. */
import { LlmError, type LlmMessage, type LlmSettings, type StreamLine, streamLines } from './openai-compatible';

function parseNdjson(line: string): StreamLine {
  let parsed: { message?: { content?: unknown }; done?: unknown; error?: unknown };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    throw new LlmError('the model server sent an unreadable stream');
  }
  if (typeof parsed.error === 'string') throw new LlmError(`the model server said: ${parsed.error}`);
  const content = parsed.message?.content;
  return { ...(typeof content === 'string' ? { text: content } : {}), done: parsed.done === true };
}

export function streamOllamaChat(
  settings: LlmSettings,
  messages: LlmMessage[],
  signal?: AbortSignal,
): AsyncGenerator<string> {
  return streamLines(
    settings,
    `${settings.url.replace(/\/+$/, '')}/api/chat`,
    { headers: {}, body: { model: settings.model, messages, stream: true, options: { temperature: 0.4 } } },
    parseNdjson,
    signal,
  );
}
