/** The mechanical checks of the blind set: regex groups, the applied transport actions, and the decline. */
import type { ChatResponse } from '../../shared/schemas/chat';
import type { EvalQuestion } from './eval-set';
import { isDecline } from '../engine/answer/decline';

export interface CheckResult {
  pass: boolean;
  /** Why it failed, for the report. */
  reasons: string[];
}

const regex = (source: string) => {
  try {
    return new RegExp(source, 'iu');
  } catch {
    return new RegExp(source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu');
  }
};

/** The text the checks read: the answer and the follow-ups (buttons are part of what the user sees). */
const visibleText = (reply: Pick<ChatResponse, 'response' | 'follow_ups'>) => `${reply.response}\n${reply.follow_ups.join('\n')}`;

function textChecks(q: EvalQuestion, text: string, reasons: string[]) {
  for (const group of q.must_all) {
    const alternatives = Array.isArray(group) ? group : [group];
    if (!alternatives.some((a) => regex(a).test(text))) reasons.push(`missing ${alternatives.join(' | ')}`);
  }
  if (q.must_any && q.must_any_min !== undefined) {
    const hits = q.must_any.filter((a) => regex(a).test(text)).length;
    if (hits < q.must_any_min) reasons.push(`only ${hits} of ${q.must_any_min} needed from ${q.must_any.join(' | ')}`);
  }
  for (const bad of q.must_not) if (regex(bad).test(text)) reasons.push(`contains ${bad}`);
}

const close = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= Math.max(0.05, Math.abs(b) * 0.002) : JSON.stringify(a) === JSON.stringify(b);

function actionChecks(q: EvalQuestion, actions: ChatResponse['actions'], reasons: string[]) {
  const expected = q.action === undefined ? [] : Array.isArray(q.action) ? q.action : [q.action];
  let from = 0;
  for (const want of expected) {
    const at = actions.findIndex((a, i) => i >= from && Object.entries(want).every(([k, v]) => close((a as Record<string, unknown>)[k], v)));
    if (at < 0) reasons.push(`no applied action ${JSON.stringify(want)} (applied: ${JSON.stringify(actions)})`);
    else from = at + 1;
  }
}

/** Applies the question's checks to a reply. */
export function checkReply(q: EvalQuestion, reply: Pick<ChatResponse, 'response' | 'follow_ups' | 'actions' | 'sources'>): CheckResult {
  const reasons: string[] = [];
  const declined = isDecline(reply);
  if (q.kind === 'decline') {
    if (!declined) reasons.push('did not decline');
  } else if (declined && q.kind !== 'command') {
    reasons.push('declined an answerable question');
  }
  if (q.kind === 'command' || q.action !== undefined) actionChecks(q, reply.actions, reasons);
  textChecks(q, visibleText(reply), reasons);
  return { pass: reasons.length === 0, reasons };
}
