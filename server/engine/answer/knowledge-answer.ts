/**
 * The local engine's answer to a production question: the best entry for this subject and process, said for
 * this situation, with the asker's own numbers where the entry has tempo-bound values, a second entry only when
 * it answers the same thing, settings with clean units, and follow-ups that stay on the asker's subject.
 */
import type { KnowledgeEntry } from '../../../shared/schemas/knowledge';
import type { KnowledgeHit } from '../../../shared/schemas/persistence';
import type { Facets } from '../understand/facets';
import type { Lang } from '../understand/language';
import { frenchGlossaryLine } from './french-glossary';
import { type Ranking, type RankedHit, entryFacets } from '../retrieval/rank';
import { parameterLines } from './parameters';
import { unsureMarkdown } from './decline';

export interface ComposedKnowledge {
  markdown: string;
  follow_ups: string[];
  sources: KnowledgeHit[];
  /** 'answer' from an entry, or 'unsure' when nothing answers well enough. */
  kind: 'answer' | 'unsure';
}

export interface ComposeInput {
  question: string;
  lang: Lang;
  facets: Facets;
  ranking: Ranking;
  /** A tempo the asker named ("at 140", "140 bpm"). */
  bpm?: number;
  entries: readonly KnowledgeEntry[];
  /** Below this the best entry is not trusted as an answer. */
  answerable: boolean;
}

const SETTINGS_CATEGORIES = new Set([
  'eq',
  'compression',
  'reverb_delay',
  'gain_staging',
  'mastering',
  'recording',
  'stereo_imaging',
  'mix_problems',
  'sound_design',
]);
const MAX_BODY = 1600;

/** The entry body, tidy: ranges written "-4 to -2 dB", en dashes between numbers as plain ranges, cut at a paragraph. */
export function tidyBody(body: string): string {
  let text = body
    .trim()
    .replace(/(-?\d+(?:\.\d+)?)\s*[–—]\s*(-\d+(?:\.\d+)?)/g, '$1 to $2')
    .replace(/(-\d+(?:\.\d+)?)\s*[–—]\s*(\d+(?:\.\d+)?)/g, '$1 to $2')
    .replace(/(\d)\s*[–—]\s*(\d)/g, '$1-$2');
  if (text.length > MAX_BODY) {
    const cut = text.lastIndexOf('\n', MAX_BODY);
    text = text.slice(0, cut > MAX_BODY / 2 ? cut : text.lastIndexOf('. ', MAX_BODY) + 1).trim();
  }
  return text;
}

/** Advice lines that would make the stated problem worse: cutting the low mids of a thin sound, boosting a harsh range. */
const CONTRADICTS: Record<string, RegExp> = {
  thin: /\bcut\w*\b[^.\n]{0,40}\b(?:[1-4]\d\d|500)(?:\s*(?:-|to)\s*[1-5]\d\d)?\s*hz\b/i,
  muddy: /\bboost\w*\b[^.\n]{0,40}\b(?:[1-4]\d\d)(?:\s*(?:-|to)\s*[1-5]\d\d)?\s*hz\b/i,
  harsh: /\bboost\w*\b[^.\n]{0,40}\b[2-5](?:\s*(?:-|to)\s*[3-6])?\s*khz\b/i,
  dull: /\bcut\w*\b[^.\n]{0,40}\b(?:[5-9]|1[0-6])(?:\s*(?:-|to)\s*\d+)?\s*khz\b/i,
};

/** Drops the list items of a body that work against the problem the asker named. */
export function withoutContradictions(body: string, problems: ReadonlySet<string>): string {
  const rules = [...problems].map((p) => CONTRADICTS[p]).filter((r): r is RegExp => r !== undefined);
  if (!rules.length) return body;
  let n = 0;
  return body
    .split('\n')
    .filter((line) => !(/^\s*(?:[-*]|\d+[.)])\s/.test(line) && rules.some((r) => r.test(line))))
    .map((line) => {
      // Keep a numbered list numbered 1, 2, 3 once an item is gone.
      if (!/^\d+[.)]\s/.test(line)) {
        if (line.trim()) n = 0;
        return line;
      }
      n += 1;
      return line.replace(/^\d+/, String(n));
    })
    .join('\n');
}

/** Values an entry states at 120 BPM, restated at the asker's tempo. */
function atTempo(entry: KnowledgeHit, bpm: number): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(entry.parameters)) {
    const m = /^(.*)_at_120(?:_bpm)?_ms$|^(.*)_ms_at_120(?:_bpm)?$/.exec(key);
    if (!m || typeof value !== 'number') continue;
    const label = (m[1] ?? m[2] ?? '').replace(/_/g, ' ');
    out.push(
      `- ${label.charAt(0).toUpperCase()}${label.slice(1)} at ${bpm} BPM: ${Math.round(((value * 120) / bpm) * 10) / 10} ms`,
    );
  }
  return out;
}

const SUBJECT_WORDS: Record<string, [en: string, fr: string]> = {
  vocal: ['vocals', 'la voix'],
  kick: ['the kick', 'la grosse caisse'],
  snare: ['the snare', 'la caisse claire'],
  hihat: ['hi-hats', 'les charlestons'],
  toms: ['toms', 'les toms'],
  overheads: ['overheads', 'les overheads'],
  drums: ['drums', 'la batterie'],
  bass: ['bass', 'la basse'],
  '808': ['the 808', 'la 808'],
  guitar: ['guitar', 'la guitare'],
  piano: ['piano', 'le piano'],
  synth: ['synths', 'les synthés'],
  strings: ['strings', 'les cordes'],
  mix_bus: ['the mix bus', 'le bus master'],
};
const PROCESS_QUESTIONS: Record<string, [en: (s: string) => string, fr: (s: string) => string]> = {
  eq: [(s) => `How should I EQ ${s}?`, (s) => `Quel EQ pour ${s} ?`],
  compression: [(s) => `How should I compress ${s}?`, (s) => `Quelle compression pour ${s} ?`],
  reverb: [(s) => `What reverb suits ${s}?`, (s) => `Quelle réverbe pour ${s} ?`],
  recording: [(s) => `How do I record ${s}?`, (s) => `Comment enregistrer ${s} ?`],
};

const followUpIndexes = new WeakMap<readonly KnowledgeEntry[], Map<string, KnowledgeEntry[]>>();
/** The entries by "subject process" for the processes of PROCESS_QUESTIONS, in order: built once per knowledge. */
export function followUpIndex(entries: readonly KnowledgeEntry[]): Map<string, KnowledgeEntry[]> {
  let index = followUpIndexes.get(entries);
  if (!index) {
    index = new Map();
    for (const e of entries) {
      const facets = entryFacets(e);
      for (const process of Object.keys(PROCESS_QUESTIONS)) {
        if (!facets.process.has(process)) continue;
        for (const subject of facets.subject) {
          const key = `${subject} ${process}`;
          const list = index.get(key);
          if (list) list.push(e);
          else index.set(key, [e]);
        }
      }
    }
    followUpIndexes.set(entries, index);
  }
  return index;
}

/** Follow-ups a musician would click: the same subject through another process, when an entry answers it. */
function followUps(input: ComposeInput, top: RankedHit, used: Set<string>): string[] {
  const out: string[] = [];
  const subject = [...input.facets.subject][0] ?? [...entryFacets(top.hit).subject][0];
  const fr = input.lang === 'fr';
  if (subject && SUBJECT_WORDS[subject]) {
    const topProcess = entryFacets(top.hit).process;
    for (const [process, ask] of Object.entries(PROCESS_QUESTIONS)) {
      if (topProcess.has(process) || input.facets.process.has(process)) continue;
      const exists = (followUpIndex(input.entries).get(`${subject} ${process}`) ?? []).some((e) => !used.has(e.id));
      if (exists) out.push(fr ? ask[1](SUBJECT_WORDS[subject]![1]) : ask[0](SUBJECT_WORDS[subject]![0]));
      if (out.length >= 2) break;
    }
  }
  if (!fr) {
    for (const r of input.ranking.ranked.slice(1)) {
      if (out.length >= 3) break;
      if (used.has(r.hit.id) || r.wrongSubject || !(r.subject || r.process || r.problem)) continue;
      out.push(r.hit.title);
    }
  }
  return out.slice(0, 3);
}

const firstSentences = (text: string, n: number) =>
  (text.replace(/\n+/g, ' ').match(/[^.!?]+[.!?]+(?=\s|$)/g) ?? [text]).slice(0, n).join(' ').trim();

export function composeKnowledge(input: ComposeInput): ComposedKnowledge {
  const [top, ...rest] = input.ranking.ranked;
  const fr = input.lang === 'fr';
  if (!top || !input.answerable) {
    const near = input.ranking.ranked
      .filter((r) => !r.wrongSubject)
      .slice(0, 3)
      .map((r) => r.hit.title);
    return { markdown: unsureMarkdown(input.lang, near), follow_ups: near.slice(0, 3), sources: [], kind: 'unsure' };
  }
  const parts: string[] = [`### ${top.hit.title}`];
  if (fr) parts.push('_Conseil tiré de ma base de connaissances, rédigée en anglais :_');
  const body = tidyBody(withoutContradictions(top.hit.body, input.facets.problem));
  parts.push(body);
  // The passage stays English: its terms with their French names, for a French reader.
  const glossary = fr ? frenchGlossaryLine(`${top.hit.title}\n${body}`) : undefined;
  if (glossary) parts.push(glossary);
  if (input.bpm !== undefined) {
    const tempoLines = atTempo(top.hit, input.bpm);
    if (tempoLines.length)
      parts.push(
        `**${fr ? `À ton tempo (${input.bpm} BPM)` : `At your tempo (${input.bpm} BPM)`}**\n${tempoLines.join('\n')}`,
      );
  }
  if (SETTINGS_CATEGORIES.has(top.hit.category)) {
    const lines = withoutContradictions(
      parameterLines(top.hit.parameters, 6, (key) => /_at_\d+|formula|example|_url$/.test(key)).join('\n'),
      input.facets.problem,
    )
      .split('\n')
      .filter(Boolean);
    if (lines.length) parts.push(`**${fr ? 'Réglages de départ' : 'Settings to start from'}**\n${lines.join('\n')}`);
  }
  const used = new Set([top.hit.id]);
  const sources = [top.hit];
  // A second entry only when it is about the same thing (same subject and process, or the same problem) and close in rank.
  const second = rest.find(
    (r) => !r.wrongSubject && ((r.subject && r.process) || (r.problem && top.problem)) && r.score >= top.score * 0.8,
  );
  if (second) {
    parts.push(
      `**${fr ? 'À voir aussi' : 'Also'}: ${second.hit.title}.** ${firstSentences(tidyBody(second.hit.body), 2)}`,
    );
    used.add(second.hit.id);
    sources.push(second.hit);
  }
  return { markdown: parts.join('\n\n'), follow_ups: followUps(input, top, used), sources, kind: 'answer' };
}
