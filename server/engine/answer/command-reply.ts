/** What Codette says after acting on the transport: each command in words (loops in bars), then buttons that make sense next. */
import type { TransportCommand } from '../../../shared/schemas/transport';
import { barSeconds } from '../../transport/musical-time';
import { afterCommand, type TransportContext } from '../understand/transport-phrases';
import type { Lang } from '../understand/language';

/** Seconds for people: one decimal, no float noise ("20.9", never "20.869565217391305"). */
export const seconds1 = (s: number) => String(Math.round(s * 10) / 10);

function describe(c: TransportCommand, ctx: TransportContext, lang: Lang): string {
  const fr = lang === 'fr';
  switch (c.action) {
    case 'seek':
      if (c.bar !== undefined)
        return fr
          ? `placé à la mesure ${c.bar}${c.beat ? `, temps ${c.beat}` : ''}`
          : `moved to bar ${c.bar}${c.beat ? ` beat ${c.beat}` : ''}`;
      return fr ? `placé à ${seconds1(c.time_seconds ?? 0)} s` : `moved to ${seconds1(c.time_seconds ?? 0)} s`;
    case 'tempo':
      return fr ? `tempo réglé à ${c.bpm} BPM` : `tempo set to ${c.bpm} BPM`;
    case 'loop': {
      if (!c.enabled) return fr ? 'boucle désactivée' : 'loop off';
      if (c.start_seconds === undefined || c.end_seconds === undefined) return fr ? 'boucle activée' : 'loop on';
      const bar = barSeconds(ctx.bpm, ctx.time_signature);
      const first = c.start_seconds / bar + 1;
      const last = c.end_seconds / bar;
      const whole = Math.abs(first - Math.round(first)) < 1e-6 && Math.abs(last - Math.round(last)) < 1e-6;
      const range = `${seconds1(c.start_seconds)}-${seconds1(c.end_seconds)} s`;
      if (!whole) return fr ? `boucle sur ${range}` : `looping ${range}`;
      const bars =
        Math.round(first) === Math.round(last)
          ? `${fr ? 'mesure' : 'bar'} ${Math.round(first)}`
          : `${fr ? 'mesures' : 'bars'} ${Math.round(first)}-${Math.round(last)}`;
      return fr ? `boucle sur les ${bars} (${range} à ${ctx.bpm} BPM)` : `looping ${bars} (${range} at ${ctx.bpm} BPM)`;
    }
    case 'record':
      return fr
        ? c.enabled
          ? 'enregistrement lancé'
          : 'enregistrement arrêté'
        : c.enabled
          ? 'recording'
          : 'recording stopped';
    case 'metronome':
      return fr ? `métronome ${c.enabled ? 'activé' : 'coupé'}` : `metronome ${c.enabled ? 'on' : 'off'}`;
    case 'time_signature':
      return fr ? `mesure ${c.numerator}/${c.denominator}` : `time signature ${c.numerator}/${c.denominator}`;
    default:
      return (
        fr
          ? { play: 'lecture', pause: 'pause', resume: 'lecture reprise', stop: 'arrêt' }
          : { play: 'playing', pause: 'paused', resume: 'resumed', stop: 'stopped' }
      )[c.action];
  }
}

export interface CommandReply {
  markdown: string;
  follow_ups: string[];
}

/** The reply to applied commands, described in order with the context each one saw. */
export function commandReply(
  commands: readonly TransportCommand[],
  problems: readonly string[],
  ctx: TransportContext,
  lang: Lang,
): CommandReply {
  let at = ctx;
  const done: string[] = [];
  for (const c of commands) {
    done.push(describe(c, at, lang));
    at = afterCommand(at, c);
  }
  const fr = lang === 'fr';
  const head = done.length
    ? `${fr ? "C'est fait :" : 'Done:'} ${done.join(fr ? ', puis ' : ', then ')}.`
    : fr
      ? "Je n'ai pas pu en faire une commande de transport."
      : "I couldn't turn that into a transport command.";
  const markdown = [head, ...problems.map((p) => `- ${p}`)].join('\n');
  return { markdown, follow_ups: nextSteps(commands, lang) };
}

/** Buttons for what usually comes next, never the thing just done ("Metronome on" right after turning it on). */
function nextSteps(commands: readonly TransportCommand[], lang: Lang): string[] {
  const did = new Set(commands.map((c) => `${c.action}:${'enabled' in c ? String(c.enabled) : ''}`));
  const fr = lang === 'fr';
  const out: string[] = [];
  if (did.has('loop:true')) out.push(fr ? 'Désactive la boucle' : 'Loop off');
  if (!did.has('play:') && !did.has('resume:') && !did.has('record:true')) out.push(fr ? 'Lecture' : 'Play');
  if (did.has('play:') || did.has('resume:')) out.push(fr ? 'Stop' : 'Stop');
  if (did.has('tempo:') && !did.has('metronome:true')) out.push(fr ? 'Active le métronome' : 'Metronome on');
  if (did.has('metronome:true')) out.push(fr ? 'Coupe le métronome' : 'Metronome off');
  if (!did.has('loop:true') && out.length < 3) out.push(fr ? 'Boucle les mesures 1 à 4' : 'Loop bars 1 to 4');
  return out.slice(0, 3);
}
