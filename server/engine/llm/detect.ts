/** Finds local model servers on loopback without configuration: Ollama (11434), LM Studio (1234), llama.cpp (8080). */
import type { LlmApi, LocalModelServer } from '../../../shared/schemas/llm';

export interface Candidate {
  name: string;
  url: string;
  api: LlmApi;
}

export const KNOWN_SERVERS: readonly Candidate[] = [
  { name: 'Ollama', url: 'http://127.0.0.1:11434', api: 'ollama' },
  { name: 'LM Studio', url: 'http://127.0.0.1:1234', api: 'openai' },
  { name: 'llama.cpp', url: 'http://127.0.0.1:8080', api: 'openai' },
];

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${res.status}`);
  return res.json();
}

/** The models a server lists: Ollama's GET /api/tags, or the OpenAI-compatible GET /v1/models. */
async function listModels(candidate: Candidate, timeoutMs: number): Promise<string[]> {
  if (candidate.api === 'ollama') {
    const body = (await getJson(`${candidate.url}/api/tags`, timeoutMs)) as {
      models?: { name?: unknown; model?: unknown }[];
    };
    return (body.models ?? []).map((m) => m.name ?? m.model).filter((n): n is string => typeof n === 'string');
  }
  const body = (await getJson(`${candidate.url}/v1/models`, timeoutMs)) as { data?: { id?: unknown }[] };
  return (body.data ?? []).map((m) => m.id).filter((n): n is string => typeof n === 'string');
}

/** Every candidate that answers with at least one model, probed in parallel; the others are skipped silently. */
export async function detectLocalServers(
  candidates: readonly Candidate[] = KNOWN_SERVERS,
  timeoutMs = 500,
): Promise<LocalModelServer[]> {
  const found = await Promise.all(
    candidates.map(async (c) => {
      try {
        const models = await listModels(c, timeoutMs);
        return models.length ? { ...c, models } : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return found.filter((s): s is LocalModelServer => s !== undefined);
}
