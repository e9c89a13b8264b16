/**
 * The knowledge's single source of truth: server/engine/knowledge/data/*.json, each an array of entries
 * validated by KnowledgeFile. It fills the embedded database at start and generates supabase/seed.sql.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KnowledgeFile, type KnowledgeEntry } from '../../shared/schemas/knowledge';
import { PROJECT_ROOT } from '../paths';

/** From the project root, so that the bundled server (.output/server/cli.mjs) finds it as the sources do. */
export const KNOWLEDGE_DATA_DIR = join(PROJECT_ROOT, 'server/engine/knowledge/data');

export class KnowledgeSourceError extends Error {
  override readonly name = 'KnowledgeSourceError';
}

/** All entries of the folder's *.json files, sorted by id. A missing folder gives []. */
export function loadKnowledgeDir(dir: string = KNOWLEDGE_DATA_DIR): KnowledgeEntry[] {
  if (!existsSync(dir)) return [];
  const byId = new Map<string, { entry: KnowledgeEntry; file: string }>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      throw new KnowledgeSourceError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    const parsed = KnowledgeFile.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new KnowledgeSourceError(`${file}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
    }
    for (const entry of parsed.data) {
      const seen = byId.get(entry.id);
      if (seen) throw new KnowledgeSourceError(`${file}: id "${entry.id}" is also in ${seen.file}`);
      byId.set(entry.id, { entry, file });
    }
  }
  return [...byId.values()].map((v) => v.entry).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
