import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SynonymGroups } from '../../../shared/schemas/knowledge';
import { PROJECT_ROOT } from '../../paths';

const SYNONYM_FILES = ['synonyms-engineering.json', 'synonyms-music.json'];

/** Lower case, every run of non-letters/digits one space: "De-Esser!" and "de esser" read the same. */
const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Musicians say the same thing many ways ("bass drum", "kick"; "esses", "sibilance"): each group searches as one. */
export class SynonymExpander {
  /** Every member phrase (normalised) to the canonical names of the groups it belongs to. */
  readonly #canonicalOf = new Map<string, string[]>();
  readonly #longest: number;

  constructor(groups: string[][]) {
    let longest = 1;
    for (const members of groups) {
      const canonical = members[0]!.toLowerCase();
      for (const member of members) {
        const phrase = normalise(member);
        if (!phrase) continue;
        longest = Math.max(longest, phrase.split(' ').length);
        const list = this.#canonicalOf.get(phrase) ?? [];
        if (!list.includes(canonical)) list.push(canonical);
        this.#canonicalOf.set(phrase, list);
      }
    }
    this.#longest = longest;
  }

  static load(dir = join(PROJECT_ROOT, 'server/engine/knowledge')): SynonymExpander {
    const groups = SYNONYM_FILES.flatMap((f) => SynonymGroups.parse(JSON.parse(readFileSync(join(dir, f), 'utf8'))));
    return new SynonymExpander(groups);
  }

  /** The canonical name of every group the text mentions, not already in it: one pass over its word sequences. */
  expansions(text: string): string[] {
    const words = normalise(text).split(' ');
    const padded = ` ${words.join(' ')} `;
    const out = new Set<string>();
    for (let i = 0; i < words.length; i++) {
      let phrase = '';
      for (let n = 0; n < this.#longest && i + n < words.length; n++) {
        phrase = n === 0 ? words[i]! : `${phrase} ${words[i + n]}`;
        for (const canonical of this.#canonicalOf.get(phrase) ?? []) {
          if (!padded.includes(` ${normalise(canonical)} `)) out.add(canonical);
        }
      }
    }
    return [...out];
  }

  /** Every member phrase, for the typo vocabulary. */
  phrases(): string[] {
    return [...this.#canonicalOf.keys()];
  }

  expand(text: string): string {
    const extra = this.expansions(text);
    return extra.length ? `${text} ${extra.join(' ')}` : text;
  }
}
