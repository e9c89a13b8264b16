import { z } from 'zod';

/** The two APIs local model servers speak: OpenAI-compatible (LM Studio, llama.cpp's server) and Ollama's own. */
export const LlmApi = z.enum(['openai', 'ollama']);
export type LlmApi = z.infer<typeof LlmApi>;

/** A model server found on loopback, with the models it offers. */
export const LocalModelServer = z.object({
  name: z.string(),
  url: z.string(),
  api: LlmApi,
  models: z.array(z.string()),
});
export type LocalModelServer = z.infer<typeof LocalModelServer>;

/** Which model answers now and which servers were found: GET /codette/llm. */
export const LlmStatus = z.object({
  /** 'local' (the built-in engine) or 'llm:<model>'. */
  engine: z.string(),
  current: z
    .object({ url: z.string(), model: z.string(), api: LlmApi, source: z.enum(['settings', 'chosen', 'detected']) })
    .nullable(),
  servers: z.array(LocalModelServer),
  detected_at: z.string().nullable(),
});
export type LlmStatus = z.infer<typeof LlmStatus>;

/** POST /codette/llm: use this model, or go back to the built-in engine. */
export const LlmChoiceRequest = z.union([
  z.object({ url: z.string().url(), model: z.string().trim().min(1).max(200), api: LlmApi.default('openai') }),
  z.object({ engine: z.literal('local') }),
]);
export type LlmChoiceRequest = z.infer<typeof LlmChoiceRequest>;
