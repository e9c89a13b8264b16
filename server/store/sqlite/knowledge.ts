import type Database from 'better-sqlite3';
import type { KnowledgeEntry } from '../../../shared/schemas/knowledge';
import { KnowledgeIndex } from '../knowledge-index';
import { SQL } from './queries';
import { knowledgeOf, knowledgeRow, type KnowledgeRow } from './rows';

/**
 * The knowledge table of the embedded store and its in-memory index (server/store/knowledge-index.ts). This
 * connection's own knowledge writes drop the index; another process's writes are noticed through `data_version` (one
 * cheap pragma per search), and the index is rebuilt only when the knowledge rows themselves changed.
 */
export class KnowledgeTable {
  #cached?: { index: KnowledgeIndex; dataVersion: number; fingerprint: string };

  constructor(private readonly statement: (sql: string) => Database.Statement) {}

  /** Inserts or updates the entries (inside the caller's transaction); returns how many rows changed. */
  upsert(entries: readonly KnowledgeEntry[]): number {
    const stmt = this.statement(SQL.upsertKnowledge);
    let changed = 0;
    for (const e of entries) changed += stmt.run(knowledgeRow(e)).changes;
    if (changed) this.#cached = undefined;
    return changed;
  }

  /** Whether the table already holds exactly the entries of this hash (stored by `replaceAll`). */
  holds(hash: string): boolean {
    return (this.statement(SQL.knowledgeHash).get() as { value: string } | undefined)?.value === hash;
  }

  /** Makes the table these entries and no others, remembering their hash (inside the caller's transaction). */
  replaceAll(entries: readonly KnowledgeEntry[], hash: string): number {
    const changed = this.upsert(entries);
    const removed = this.statement(SQL.deleteKnowledgeNotIn).run(JSON.stringify(entries.map((e) => e.id))).changes;
    this.statement(SQL.setKnowledgeHash).run(hash);
    this.#cached = undefined;
    return changed + removed;
  }

  index(): KnowledgeIndex {
    const dataVersion = (this.statement(SQL.dataVersion).get() as { data_version: number }).data_version;
    const cached = this.#cached;
    if (cached && cached.dataVersion === dataVersion) return cached.index;
    const r = this.statement(SQL.knowledgeFingerprint).get() as { n: number; u: string; k: number };
    const fingerprint = `${r.n}|${r.u}|${r.k}`;
    if (cached && cached.fingerprint === fingerprint) {
      cached.dataVersion = dataVersion;
      return cached.index;
    }
    const rows = this.statement(SQL.allKnowledge).all() as KnowledgeRow[];
    const index = KnowledgeIndex.build(rows.map(knowledgeOf));
    this.#cached = { index, dataVersion, fingerprint };
    return index;
  }

  get(id: string): KnowledgeEntry | null {
    const r = this.statement(SQL.knowledgeById).get(id) as KnowledgeRow | undefined;
    return r ? knowledgeOf(r) : null;
  }

  count(): number {
    return (this.statement(SQL.countKnowledge).get() as { n: number }).n;
  }
}
