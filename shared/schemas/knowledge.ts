import { z } from 'zod';

/** The fields of music production Codette's knowledge base covers. */
export const KnowledgeCategory = z.enum([
  'eq',
  'compression',
  'reverb_delay',
  'gain_staging',
  'mastering',
  'stereo_imaging',
  'mix_problems',
  'recording',
  'arrangement',
  'sound_design',
  'music_theory',
  'rhythm_groove',
  'genres',
  'ear_training',
  'workflow',
  'web_daw',
]);
export type KnowledgeCategory = z.infer<typeof KnowledgeCategory>;

const ParameterValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);

/** One entry of the music knowledge base, as stored in the data files and in both databases. */
export const KnowledgeEntry = z.object({
  id: z.string().regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, 'lowercase words joined by "-" or "."'),
  topic: z.string().min(2).max(80),
  category: KnowledgeCategory,
  title: z.string().min(5).max(140),
  body: z.string().min(80).max(2400),
  parameters: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'snake_case parameter names'), ParameterValue),
  tags: z.array(z.string().min(2).max(40)).min(1).max(20),
});
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

export const KnowledgeFile = z.array(KnowledgeEntry).min(1);

/** A question of the retrieval evaluation set, with what a good search must find in its top 3. */
export const RetrievalCase = z
  .object({
    question: z.string().min(3),
    expect_ids: z.array(z.string()).optional(),
    expect_category: KnowledgeCategory.optional(),
  })
  .refine((c) => c.expect_ids?.length || c.expect_category, 'a case names expect_ids or expect_category');
export type RetrievalCase = z.infer<typeof RetrievalCase>;

/** Musicians' words that mean the same thing: each group is searched as one. */
export const SynonymGroups = z.array(z.array(z.string().min(1)).min(2));
