/** Chat text -> transport commands: "ok stop and go to bar 1", "loop bars 5 to 8", "slow down by 10 bpm". */
import { TransportCommand } from '../../../shared/schemas/transport';
import { looksLikeQuestion, normalise, numberWordsToDigits, splitClauses, stripFiller } from './phrase-text';
import { TRANSPORT_RULES } from './transport-rules';
import { rewriteCommand } from './command-text';
import { slotCommand } from './transport-slots';
import { barToSeconds } from '../../transport/musical-time';
import type { ClauseResult, TransportContext } from './transport-targets';

export type { TransportContext } from './transport-targets';

export interface TransportParse {
  commands: TransportCommand[];
  /** Human messages for parts that were commands but could not be carried out, e.g. "tempo 1000 is outside 20-400 BPM". */
  problems: string[];
}

export interface TransportMatch extends TransportParse {
  /** Share (0..1) of the message's characters that command clauses account for; the rest was filler. */
  coverage: number;
}

const NONE: TransportMatch = { commands: [], problems: [], coverage: 0 };

function parseClause(clause: string, ctx: TransportContext): ClauseResult | undefined {
  for (const rule of TRANSPORT_RULES) {
    const result = rule(clause, ctx);
    if (result) return result;
  }
  return slotCommand(clause, ctx);
}

/**
 * Parses a whole message. Every clause must be a command (or pure filler such as "thanks"), otherwise the message is
 * not a command at all and nothing is returned: "stop and tell me about compression" does not stop the DAW.
 */
export function matchTransport(text: string, ctx: TransportContext): TransportMatch {
  const normalised = rewriteCommand(numberWordsToDigits(normalise(text)));
  if (normalised.length === 0 || normalised.length > 300 || looksLikeQuestion(normalised)) return NONE;
  const commands: TransportCommand[] = [];
  const problems: string[] = [];
  let matchedChars = 0;
  // Each clause sees the transport as the clauses before it left it: "tempo 92 and loop bars 9 to 16" loops at 92 BPM.
  let at = { ...ctx };
  for (const raw of splitClauses(normalised)) {
    const clause = stripFiller(raw);
    if (clause.length === 0) continue;
    const result = parseClause(clause, at);
    if (!result) return NONE;
    matchedChars += clause.length;
    problems.push(...result.problems);
    for (const input of result.commands) {
      const checked = TransportCommand.safeParse(input);
      if (checked.success) {
        commands.push(checked.data);
        at = afterCommand(at, checked.data);
      } else
        problems.push(
          `"${clause}" gave an invalid ${input.action} command: ${checked.error.issues[0]?.message ?? 'invalid'}`,
        );
    }
  }
  if (commands.length === 0 && problems.length === 0) return NONE;
  return { commands, problems, coverage: Math.min(1, matchedChars / normalised.length) };
}

/** The context a later clause sees once a command is applied: tempo, metre and position carry over. */
export function afterCommand(ctx: TransportContext, command: TransportCommand): TransportContext {
  switch (command.action) {
    case 'tempo':
      return { ...ctx, bpm: command.bpm };
    case 'time_signature':
      return { ...ctx, time_signature: { numerator: command.numerator, denominator: command.denominator } };
    case 'seek':
      return {
        ...ctx,
        position_seconds:
          command.time_seconds ?? barToSeconds(command.bar ?? 1, command.beat ?? 1, ctx.bpm, ctx.time_signature),
      };
    default:
      return ctx;
  }
}

/** The transport commands in a chat message, in order; empty when the message is no command. */
export function parseTransportCommands(text: string, ctx: TransportContext): TransportParse {
  const { commands, problems } = matchTransport(text, ctx);
  return { commands, problems };
}
