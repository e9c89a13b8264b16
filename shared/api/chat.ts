import { z } from 'zod';
import { ChatRequest, ChatResponse, SuggestRequest, SuggestResponse } from '../schemas/chat';
import { ErrorBody } from '../schemas/errors';
import { LlmChoiceRequest, LlmStatus } from '../schemas/llm';
import { defineEndpoint } from './define';
import { IdempotencyHeaders } from './headers';
import { JSON_BODY_ERRORS, STORE_ERRORS } from './errors';

/** One piece of a streamed answer's text. */
export const ChatDelta = z.object({ text: z.string() });

export const chatEndpoints = [
  defineEndpoint({
    name: 'chat.send',
    method: 'POST',
    path: '/codette/chat',
    summary:
      'Ask Codette: an answer grounded in its knowledge, with sources, a confidence, transport actions it applied and follow-ups',
    description:
      'With `Accept: text/event-stream` the answer streams: `delta` events ({text}), then one `reply` event (the ChatResponse), or an `error` event. ' +
      'An `Idempotency-Key` header makes a retry return the stored answer without applying its actions again.',
    tag: 'chat',
    headers: IdempotencyHeaders,
    body: { json: ChatRequest },
    responses: { 200: ChatResponse },
    sse: { events: { delta: ChatDelta, reply: ChatResponse, error: ErrorBody }, final: ['reply', 'error'] },
    errors: [...JSON_BODY_ERRORS, 'not_found', ...STORE_ERRORS],
  }),
  defineEndpoint({
    name: 'chat.suggest',
    method: 'POST',
    path: '/codette/suggest',
    summary:
      'Concrete suggestions for a context {track_type?, genre?, stage?, metrics?}, ranked, each with the reason it applies',
    tag: 'chat',
    body: { json: SuggestRequest },
    responses: { 200: SuggestResponse },
    errors: [...JSON_BODY_ERRORS],
  }),
  defineEndpoint({
    name: 'llm.status',
    method: 'GET',
    path: '/codette/llm',
    summary:
      'Local model servers found now on loopback (Ollama 11434, LM Studio 1234, llama.cpp 8080), their models, and which one answers',
    tag: 'chat',
    responses: { 200: LlmStatus },
    errors: [],
  }),
  defineEndpoint({
    name: 'llm.choose',
    method: 'POST',
    path: '/codette/llm',
    summary: 'Choose the local model that answers ({url, model, api}), or {engine: "local"} for the built-in engine',
    tag: 'chat',
    body: { json: LlmChoiceRequest },
    responses: { 200: LlmStatus },
    errors: [...JSON_BODY_ERRORS],
  }),
] as const;
