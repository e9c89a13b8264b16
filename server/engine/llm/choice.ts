/**
 * Which local model answers: the one in the settings (CODETTE_LLM_URL), else the one the user chose, else the first
 * model of the first server found on loopback. Detection runs at start and on demand (GET /codette/llm).
 */
import type { LlmApi, LlmStatus, LocalModelServer } from '../../../shared/schemas/llm';
import { type Candidate, KNOWN_SERVERS, detectLocalServers } from './detect';
import { type LlmMessage, type LlmSettings, streamCompletion } from './openai-compatible';
import { streamOllamaChat } from './ollama';

export interface ModelSettings extends LlmSettings {
  api: LlmApi;
}

export class LlmChooser {
  #chosen: ModelSettings | undefined;
  #detected: ModelSettings | undefined;
  #off = false;
  #servers: LocalModelServer[] = [];
  #detectedAt: string | null = null;

  constructor(
    private readonly configured: LlmSettings | undefined,
    private readonly timeoutMs: number,
    private readonly candidates: readonly Candidate[] = KNOWN_SERVERS,
  ) {}

  /** The model that answers now, or undefined for the built-in engine. */
  current(): (ModelSettings & { source: 'settings' | 'chosen' | 'detected' }) | undefined {
    if (this.configured) return { ...this.configured, api: 'openai', source: 'settings' };
    if (this.#off) return undefined;
    if (this.#chosen) return { ...this.#chosen, source: 'chosen' };
    return this.#detected ? { ...this.#detected, source: 'detected' } : undefined;
  }

  /** Probes the known ports; with `autoSelect`, the first model found answers until the user chooses otherwise. */
  async detect(autoSelect: boolean): Promise<LocalModelServer[]> {
    this.#servers = await detectLocalServers(this.candidates);
    this.#detectedAt = new Date().toISOString();
    const first = this.#servers[0];
    if (autoSelect)
      this.#detected = first
        ? { url: first.url, model: first.models[0]!, api: first.api, timeoutMs: this.timeoutMs }
        : undefined;
    return this.#servers;
  }

  choose(choice: { url: string; model: string; api: LlmApi } | 'local'): void {
    if (choice === 'local') {
      this.#off = true;
      this.#chosen = undefined;
      return;
    }
    this.#off = false;
    this.#chosen = { ...choice, timeoutMs: this.timeoutMs };
  }

  status(): LlmStatus {
    const current = this.current();
    return {
      engine: current ? `llm:${current.model}` : 'local',
      current: current ? { url: current.url, model: current.model, api: current.api, source: current.source } : null,
      servers: this.#servers,
      detected_at: this.#detectedAt,
    };
  }
}

/** The model's answer as it streams, in the API its server speaks. */
export function streamModel(
  settings: ModelSettings,
  messages: LlmMessage[],
  signal?: AbortSignal,
): AsyncGenerator<string> {
  return settings.api === 'ollama'
    ? streamOllamaChat(settings, messages, signal)
    : streamCompletion(settings, messages, signal);
}
