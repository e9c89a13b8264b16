import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SynonymGroups } from '../../../shared/schemas/knowledge';
import { PROJECT_ROOT } from '../../paths';

const SYNONYM_FILES = ['synonyms-engineering.json', 'synonyms-music.json'];

interface Group {
  /** The words searched for every member of the group. */
  canonical: string;
  patterns: RegExp[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Musicians say the same thing many ways ("bass drum", "kick"; "esses", "sibilance"): each group searches as one. */
export class SynonymExpander {
  readonly #groups: Group[];

  constructor(groups: string[][]) {
    this.#groups = groups.map((members) => ({
      canonical: members[0]!.toLowerCase(),
      patterns: members.map((m) => new RegExp(`(^|[^\\p{L}\\p{N}])${escape(m.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u')),
    }));
  }

  static load(dir = join(PROJECT_ROOT, 'server/engine/knowledge')): SynonymExpander {
    const groups = SYNONYM_FILES.flatMap((f) => SynonymGroups.parse(JSON.parse(readFileSync(join(dir, f), 'utf8'))));
    return new SynonymExpander(groups);
  }

  /** The words to add to a query: the canonical name of every group the text mentions, not already in it. */
  expansions(text: string): string[] {
    const lower = ` ${text.toLowerCase()} `;
    const out = new Set<string>();
    for (const g of this.#groups) {
      if (g.patterns.some((p) => p.test(lower)) && !lower.includes(g.canonical)) out.add(g.canonical);
    }
    return [...out];
  }

  expand(text: string): string {
    const extra = this.expansions(text);
    return extra.length ? `${text} ${extra.join(' ')}` : text;
  }
}
