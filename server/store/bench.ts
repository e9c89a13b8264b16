/**
 * Measures the embedded store: idle RSS with the database open, time to insert the knowledge, time to search it.
 * Run: `npx tsx server/store/bench.ts [--entries N]` (N synthetic entries on top of the real data files; default 0).
 * Prints one JSON object. Numbers drift from run to run; compare within one machine.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KnowledgeEntry } from '../../shared/schemas/knowledge';
import { KNOWLEDGE_DATA_DIR } from './knowledge-source';
import { openSqliteStore } from './sqlite/store';

const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
const arg = process.argv.indexOf('--entries');
const synthetic = arg > 0 ? Number(process.argv[arg + 1]) : 0;

// Real entries, skipping (and counting) any that do not validate: this is a measurement, not the loader.
const real: KnowledgeEntry[] = [];
let invalid = 0;
for (const f of readdirSync(KNOWLEDGE_DATA_DIR).filter((x) => x.endsWith('.json'))) {
  for (const raw of JSON.parse(readFileSync(join(KNOWLEDGE_DATA_DIR, f), 'utf8')) as unknown[]) {
    const p = KnowledgeEntry.safeParse(raw);
    if (p.success) real.push(p.data);
    else invalid++;
  }
}
const entries = [...real];
for (let i = 0; i < synthetic; i++) {
  const base = real[i % real.length]!;
  entries.push({ ...base, id: `synthetic.${i}`, title: `${base.title} (${i})` });
}

const rssBefore = process.memoryUsage().rss;
const dir = mkdtempSync(join(tmpdir(), 'codette-bench-'));
const t0 = performance.now();
const store = await openSqliteStore({ path: join(dir, 'codette.db'), knowledge: entries });
const openAndInsertMs = performance.now() - t0;

const queries = [
  'how do I make my kick punchier',
  'vocal sounds harsh',
  'muddy mix low mids',
  'loudness for streaming',
  'reverb on snare',
  'sidechain compression bass',
  'chord progression minor key',
  'swing groove hi hats',
  'stereo width mono compatibility',
  'gain staging headroom',
];
for (const q of queries) await store.searchKnowledge(q); // warm
const times: number[] = [];
for (let i = 0; i < 1000; i++) {
  const s = performance.now();
  await store.searchKnowledge(queries[i % queries.length]!, { limit: 8 });
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);

const t1 = performance.now();
await store.upsertKnowledge(entries.map((e) => ({ ...e, body: `${e.body} `.trimEnd() + ' ' })));
const reUpsertMs = performance.now() - t1;

await new Promise((r) => setTimeout(r, 1500)); // idle
global.gc?.();
const mem = process.memoryUsage();
console.log(
  JSON.stringify(
    {
      entries: entries.length,
      invalid_entries_skipped: invalid,
      open_migrate_insert_ms: Math.round(openAndInsertMs),
      reupsert_all_changed_ms: Math.round(reUpsertMs),
      search_ms: { p50: +times[500]!.toFixed(3), p95: +times[950]!.toFixed(3), p99: +times[990]!.toFixed(3) },
      rss_mb_before_open: mb(rssBefore),
      rss_mb_idle_open: mb(mem.rss),
      heap_used_mb: mb(mem.heapUsed),
    },
    null,
    2,
  ),
);
await store.close();
rmSync(dir, { recursive: true, force: true });
