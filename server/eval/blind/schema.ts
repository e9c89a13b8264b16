import { z } from 'zod';
import { DawContext } from '../../../shared/schemas/chat';
import { TRANSPORT_ACTIONS } from '../../../shared/schemas/transport';

/** A regex source, compiled by the grader as `new RegExp(source, 'i')` against the reply text. */
const Pattern = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, 'i');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `does not compile: ${(error as Error).message}` });
    }
  });

/** One expected transport command; `args` use TransportCommand's field names plus bar numbers for loops. */
export const ExpectedTransport = z.object({
  type: z.literal('transport'),
  command: z.enum(TRANSPORT_ACTIONS as [string, ...string[]]),
  args: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
});
/** The right move is a short question back ("Loop bars 17-24?"), not an action or an article. */
const ExpectedClarify = z.object({ type: z.literal('clarify') });
export const ExpectedAction = z.union([ExpectedTransport, ExpectedClarify]);

export const Kind = z.enum(['advice', 'calc', 'command', 'decline', 'followup']);

export const BlindItem = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words joined by -'),
    lang: z.enum(['en', 'fr']),
    kind: Kind,
    topic: z.string().regex(/^[a-z0-9-]+(?:\/[a-z0-9-]+)?$/, 'area or area/subject'),
    question: z.string().trim().min(1).max(4000),
    /** Earlier user turns, sent first in the same session; their replies are not graded. */
    history: z
      .array(z.object({ role: z.literal('user'), text: z.string().min(1) }))
      .min(1)
      .optional(),
    /** Sent as the chat request's daw_context (e.g. the tempo a relative command starts from). */
    daw_context: DawContext.optional(),
    must_all: z.array(z.array(Pattern).min(1)),
    must_any_min: z.object({ patterns: z.array(Pattern).min(1), min: z.number().int().min(1) }).optional(),
    must_not: z.array(Pattern).optional(),
    action: ExpectedAction.optional(),
    /** Several commands in one message, in the order they must be applied. */
    actions: z.array(ExpectedTransport).min(2).optional(),
    difficulty: z.literal('hard').optional(),
  })
  .strict()
  .superRefine((item, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const hasAction = item.action !== undefined || item.actions !== undefined;
    if (item.kind === 'command' && !hasAction) issue('action', 'a command needs action or actions');
    if (item.action !== undefined && item.actions !== undefined) issue('actions', 'give action or actions, not both');
    if (item.kind !== 'command' && hasAction) issue('action', `a ${item.kind} item expects no action`);
    if (item.kind === 'followup' && item.history === undefined) issue('history', 'a follow-up needs the earlier turns');
    if (item.history !== undefined && item.kind !== 'followup' && item.kind !== 'command') {
      issue('history', `a ${item.kind} item has no history`);
    }
    if (item.kind === 'decline' && (item.must_all.length === 0 || !item.must_not?.length)) {
      issue('must_not', 'a decline needs a refusal pattern and the off-topic advice it must not give');
    }
    const checksText = item.must_all.length > 0 || item.must_any_min !== undefined;
    if (item.kind !== 'command' && !checksText) issue('must_all', 'nothing checks the reply');
    if (item.must_any_min && item.must_any_min.min > item.must_any_min.patterns.length) {
      issue('must_any_min', 'min is larger than the number of patterns');
    }
  });
export type BlindItem = z.infer<typeof BlindItem>;
