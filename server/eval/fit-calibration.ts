/**
 * Fits the knowledge answers' confidence (CALIBRATION in server/engine/understand/understand-question.ts) on the blind
 * DEV half only: each dev question answered from the knowledge gives the ranking's features and whether the
 * mechanical checks passed; a logistic regression (L2, gradient descent) maps one to the other.
 *
 *   npx tsx server/eval/fit-calibration.ts
 */
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';
import { loadEvalSet } from './eval-set';
import { evaluateHalf } from './evaluate';
import { openHarness } from './harness';
import { openStore, readKnowledge } from '../store/open';
import { loadEngineData } from '../engine/engine';
import { confidenceFeatures, findKnowledge } from '../engine/understand/understand-question';
import { resolveConversation } from '../engine/follow-up';
import { detectLanguage } from '../engine/understand/language';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const dev = loadEvalSet(join(PROJECT_ROOT, 'server/eval/blind/dev.jsonl'));
const harness = await openHarness();
const { outcomes } = await evaluateHalf(harness, dev);
await harness.close();

const knowledge = readKnowledge() ?? [];
const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'codette-fit-')), knowledge });
const engine = loadEngineData(knowledge);
const rows: { x: number[]; y: number }[] = [];
for (const o of outcomes) {
  if (o.question.kind === 'command' || o.question.kind === 'decline' || o.reply.actions.length) continue;
  const found = await findKnowledge(
    store,
    engine,
    resolveConversation(
      (o.question.history ?? []).map((t) => t.text),
      o.question.question,
    ),
    detectLanguage(o.question.question),
  );
  if (found.declined || (o.reply.sources.length === 0 && !/grounded answer|réponse fiable/.test(o.reply.response)))
    continue;
  rows.push({ x: confidenceFeatures(found.ranking, found.facets, found.domainStrength), y: o.pass ? 1 : 0 });
}
await store.close();

const dims = rows[0]!.x.length + 1;
const w = new Array<number>(dims).fill(0);
const lambda = 0.05;
for (let step = 0; step < 20_000; step++) {
  const grad = new Array<number>(dims).fill(0);
  for (const { x, y } of rows) {
    const p = 1 / (1 + Math.exp(-(w[0]! + x.reduce((s, v, i) => s + v * w[i + 1]!, 0))));
    grad[0]! += p - y;
    x.forEach((v, i) => (grad[i + 1]! += (p - y) * v));
  }
  for (let i = 0; i < dims; i++) w[i]! -= 0.05 * (grad[i]! / rows.length + (i ? lambda * w[i]! : 0));
}
console.log(`${rows.length} dev answers from the knowledge, ${rows.filter((r) => r.y).length} useful`);
console.log(`export const CALIBRATION = [${w.map((v) => Math.round(v * 100) / 100).join(', ')}];`);
