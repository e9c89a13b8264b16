import { z } from 'zod';
import { KnowledgeCategory } from './knowledge';
import { TransportCommand } from './transport';

export const Perspective = z.enum([
  'mix_engineering',
  'audio_theory',
  'creative_production',
  'technical_troubleshooting',
  'workflow_optimization',
]);
export type Perspective = z.infer<typeof Perspective>;

/** What the extension knows of the DAW and the mix when the user asks: all optional. */
export const DawContext = z.object({
  site: z.string().max(200).optional(),
  bpm: z.number().min(20).max(400).optional(),
  key: z.string().max(20).optional(),
  genre: z.string().max(60).optional(),
  track_type: z.string().max(60).optional(),
  /** Latest loudness/mix figures (from the meters or an analysis report). */
  metrics: z.record(z.string().max(60), z.union([z.number(), z.string(), z.null()])).optional(),
});
export type DawContext = z.infer<typeof DawContext>;

export const ChatRequest = z.object({
  message: z.string().trim().min(1, 'type a question or a command').max(4000),
  session_id: z.string().uuid().optional(),
  perspective: z.union([Perspective, z.literal('auto')]).default('auto'),
  daw_context: DawContext.optional(),
});
export type ChatRequest = z.infer<typeof ChatRequest>;
export type ChatRequestInput = z.input<typeof ChatRequest>;

export const ChatSource = z.object({ id: z.string(), title: z.string(), category: KnowledgeCategory });
export type ChatSource = z.infer<typeof ChatSource>;

export const ChatResponse = z.object({
  /** Markdown. */
  response: z.string(),
  perspective: Perspective,
  /** How well the knowledge matched the question, 0..1. */
  confidence: z.number().min(0).max(1),
  sources: z.array(ChatSource),
  /** Transport commands the server applied for this message. */
  actions: z.array(TransportCommand),
  follow_ups: z.array(z.string()),
  session_id: z.string(),
  message_id: z.string(),
  /** 'local' (the built-in engine) or 'llm:<model>'; a fallback says why in `notice`. */
  engine: z.string(),
  notice: z.string().optional(),
});
export type ChatResponse = z.infer<typeof ChatResponse>;

export const FeedbackRequest = z.object({
  message_id: z.string().min(1),
  rating: z.enum(['up', 'down']),
  comment: z.string().max(2000).optional(),
});
export type FeedbackRequest = z.infer<typeof FeedbackRequest>;

export const Stage = z.enum(['writing', 'arrangement', 'sound_design', 'recording', 'editing', 'mixing', 'mastering']);
export type Stage = z.infer<typeof Stage>;

export const SuggestRequest = z.object({
  context: z.object({
    track_type: z.string().trim().min(1).max(60).optional(),
    genre: z.string().trim().min(1).max(60).optional(),
    stage: Stage.optional(),
    metrics: DawContext.shape.metrics,
  }),
  limit: z.number().int().min(1).max(20).default(5),
});
export type SuggestRequest = z.infer<typeof SuggestRequest>;

export const Suggestion = z.object({
  type: z.string(),
  title: z.string(),
  description: z.string(),
  /** Why this suggestion applies to the context given, citing it. */
  reason: z.string(),
  confidence: z.number().min(0).max(1),
  source_id: z.string().nullable(),
  parameters: z.record(z.string(), z.unknown()),
});
export type Suggestion = z.infer<typeof Suggestion>;

export const SuggestResponse = z.object({ suggestions: z.array(Suggestion) });
export type SuggestResponse = z.infer<typeof SuggestResponse>;
