/**
 * Fits the knowledge answers' confidence (CALIBRATION in server/engine/understand/understand-question.ts) on the
 * development halves only (dev.jsonl and dev2.jsonl; never the test half): each question answered from the
 * knowledge gives the ranking's features and whether the mechanical checks passed; an L2-regularised logistic
 * regression maps one to the other. The regularisation is chosen by 5-fold cross-validation (folds by question,
 * out-of-fold log loss), so the weights are those that predict questions they were not fitted on.
 *
 *   npx tsx server/eval/fit-calibration.ts
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';
import { loadEngineData } from '../engine/engine';
import { resolveConversation } from '../engine/follow-up';
import { detectLanguage } from '../engine/understand/language';
import { confidenceFeatures, findKnowledge } from '../engine/understand/understand-question';
import { openStore, readKnowledge } from '../store/open';
import { loadEvalSet } from './eval-set';
import { evaluateHalf } from './evaluate';
import { openHarness } from './harness';
import { expectedCalibrationError } from './metrics';

interface Row {
  x: number[];
  y: number;
}

// Which development halves to fit on (default both): `-- dev2.jsonl` fits on the second half only.
const names = process.argv.slice(2).filter((a) => a.endsWith('.jsonl'));
const halves = (names.length ? names : ['dev.jsonl', 'dev2.jsonl'])
  .map((f) => join(PROJECT_ROOT, 'server/eval/blind', f))
  .filter((p) => existsSync(p));
const harness = await openHarness();
const outcomes = [];
for (const path of halves) outcomes.push(...(await evaluateHalf(harness, loadEvalSet(path))).outcomes);
await harness.close();

const knowledge = readKnowledge() ?? [];
const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'codette-fit-')), knowledge });
const engine = loadEngineData(knowledge);
const rows: Row[] = [];
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
  // Only replies that came from the knowledge (calculations, help and mix reviews have their own confidence).
  if (found.declined || o.reply.sources.length === 0) continue;
  rows.push({ x: confidenceFeatures(found.ranking, found.facets, found.domainStrength), y: o.pass ? 1 : 0 });
}
await store.close();

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const predict = (w: readonly number[], x: readonly number[]) =>
  sigmoid(w[0]! + x.reduce((s, v, i) => s + v * w[i + 1]!, 0));

function fit(data: readonly Row[], lambda: number): number[] {
  const dims = data[0]!.x.length + 1;
  const w = new Array<number>(dims).fill(0);
  for (let step = 0; step < 8000; step++) {
    const grad = new Array<number>(dims).fill(0);
    for (const { x, y } of data) {
      const err = predict(w, x) - y;
      grad[0]! += err;
      x.forEach((v, i) => (grad[i + 1]! += err * v));
    }
    for (let i = 0; i < dims; i++) w[i]! -= 0.1 * (grad[i]! / data.length + (i ? lambda * w[i]! : 0));
  }
  return w;
}

const logLoss = (p: number, y: number) => -(y ? Math.log(Math.max(p, 1e-9)) : Math.log(Math.max(1 - p, 1e-9)));
const folds = 5;
let best = { lambda: 0, loss: Infinity, ece: 0 };
for (const lambda of [0.003, 0.01, 0.03, 0.1, 0.3]) {
  let loss = 0;
  const oof: { pass: boolean; confidence: number }[] = [];
  for (let k = 0; k < folds; k++) {
    const train = rows.filter((_, i) => i % folds !== k);
    const w = fit(train, lambda);
    rows.forEach((r, i) => {
      if (i % folds !== k) return;
      const p = predict(w, r.x);
      loss += logLoss(p, r.y);
      oof.push({ pass: r.y === 1, confidence: p });
    });
  }
  const ece = expectedCalibrationError(oof);
  console.log(`lambda ${lambda}: out-of-fold log loss ${(loss / rows.length).toFixed(4)}, ECE ${ece.toFixed(3)}`);
  if (loss < best.loss) best = { lambda, loss, ece };
}
const weights = fit(rows, best.lambda);
console.log(
  `${rows.length} development answers from the knowledge, ${rows.filter((r) => r.y).length} useful; lambda ${best.lambda}`,
);
console.log(`export const CALIBRATION = [${weights.map((v) => Math.round(v * 100) / 100).join(', ')}];`);
