import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ChecklistAnswer, EarTrainingExercise, Instrument } from '../../shared/schemas/analysis';
import { PROJECT_ROOT } from '../paths';

const DATA_DIR = join(PROJECT_ROOT, 'server/analysis/data');
const load = <S extends z.ZodType>(file: string, schema: S): z.output<S> =>
  schema.parse(JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8')));

let instruments: Instrument[] | undefined;
let checklists: z.infer<typeof ChecklistAnswer>['checklists'] | undefined;
let exercises: EarTrainingExercise[] | undefined;

/** The curated data files, validated on first use (a broken file fails loudly, in the tests first). */
export function instrumentData(): Instrument[] {
  return (instruments ??= load('instruments.json', z.object({ instruments: z.array(Instrument).min(1) })).instruments);
}

export function checklistData(): z.infer<typeof ChecklistAnswer>['checklists'] {
  return (checklists ??= load('checklists.json', ChecklistAnswer.pick({ checklists: true })).checklists);
}

export function earTrainingData(): EarTrainingExercise[] {
  return (exercises ??= load(
    'ear-training.json',
    z.object({ exercises: z.array(EarTrainingExercise).min(1) }),
  ).exercises);
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** An instrument by id, name or alias ("vox", "808", "Bass guitar"). */
export function findInstrument(query: string): Instrument | undefined {
  const q = norm(query);
  const all = instrumentData();
  return (
    all.find((i) => norm(i.id) === q || norm(i.name) === q) ??
    all.find((i) => i.aliases.some((a) => norm(a) === q)) ??
    all.find((i) => norm(i.name).split(' ').includes(q))
  );
}
