/** The mechanical checks of the blind set: regex groups, the applied transport actions, declines and questions back. */
import type { ChatResponse } from '../../shared/schemas/chat';
import type { EvalQuestion } from './eval-set';
import { isDecline } from '../engine/answer/decline';
import { barToSeconds } from '../transport/musical-time';
import { DEFAULT_BPM } from '../../shared/constants';

export interface CheckResult {
  pass: boolean;
  /** Why it failed, for the report. */
  reasons: string[];
}

/** As the set's schema says: `new RegExp(source, 'i')` against the reply text. */
const regex = (source: string) => new RegExp(source, 'i');

/** What the user sees: the answer and the follow-up buttons. */
const visibleText = (reply: Pick<ChatResponse, 'response' | 'follow_ups'>) =>
  `${reply.response}\n${reply.follow_ups.join('\n')}`;

function textChecks(q: EvalQuestion, text: string, reasons: string[]) {
  for (const group of q.must_all)
    if (!group.some((a) => regex(a).test(text))) reasons.push(`missing ${group.join(' | ')}`);
  if (q.must_any_min) {
    const hits = q.must_any_min.patterns.filter((a) => regex(a).test(text)).length;
    if (hits < q.must_any_min.min)
      reasons.push(`only ${hits} of ${q.must_any_min.min} needed from ${q.must_any_min.patterns.join(' | ')}`);
  }
  for (const bad of q.must_not ?? []) if (regex(bad).test(text)) reasons.push(`contains ${bad}`);
}

const positionSeconds = (c: Record<string, unknown>, bpm: number) =>
  typeof c.time_seconds === 'number'
    ? c.time_seconds
    : typeof c.bar === 'number'
      ? barToSeconds(c.bar, typeof c.beat === 'number' ? c.beat : 1, bpm, FOUR_FOUR)
      : NaN;
const FOUR_FOUR = { numerator: 4, denominator: 4 } as const;

/** Bar numbers are how the set names a loop; the command itself carries seconds, which are compared. */
const NOT_COMMAND_FIELDS = new Set(['start_bar', 'end_bar']);
const close = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 0.01 + Math.abs(b) * 1e-4 : a === b;

function actionChecks(q: EvalQuestion, actions: ChatResponse['actions'], reasons: string[]) {
  if (q.action?.type === 'clarify') {
    if (actions.length) reasons.push(`acted (${JSON.stringify(actions)}) where a question back was expected`);
    return;
  }
  const expected = q.actions ?? (q.action?.type === 'transport' ? [q.action] : []);
  if (actions.length !== expected.length)
    reasons.push(`applied ${actions.length} commands, expected ${expected.length}: ${JSON.stringify(actions)}`);
  let bpm = q.daw_context?.bpm ?? DEFAULT_BPM;
  expected.forEach((want, i) => {
    const got = actions[i] as Record<string, unknown> | undefined;
    const fields = Object.entries(want.args ?? {}).filter(([k]) => !NOT_COMMAND_FIELDS.has(k));
    // A position is the same whether named by bar or by seconds: "go to bar 17" is 32 s at 120 BPM.
    const samePosition =
      want.command === 'seek' &&
      got?.action === 'seek' &&
      close(positionSeconds(got, bpm), positionSeconds(want.args ?? {}, bpm));
    if (got?.action === 'tempo' && typeof got.bpm === 'number') bpm = got.bpm;
    if (!got || got.action !== want.command || !(samePosition || fields.every(([k, v]) => close(got[k], v)))) {
      reasons.push(
        `command ${i + 1}: expected ${want.command} ${JSON.stringify(want.args ?? {})}, got ${JSON.stringify(got ?? null)}`,
      );
    }
  });
}

/** Applies the question's checks to a reply. */
export function checkReply(
  q: EvalQuestion,
  reply: Pick<ChatResponse, 'response' | 'follow_ups' | 'actions' | 'sources'>,
): CheckResult {
  const reasons: string[] = [];
  const declined = isDecline(reply);
  if (q.kind === 'decline' && !declined) reasons.push('did not decline');
  if (q.kind !== 'decline' && declined) reasons.push('declined an answerable question');
  if (q.kind === 'command') actionChecks(q, reply.actions, reasons);
  else if (reply.actions.length) reasons.push(`moved the transport: ${JSON.stringify(reply.actions)}`);
  textChecks(q, visibleText(reply), reasons);
  return { pass: reasons.length === 0, reasons };
}
