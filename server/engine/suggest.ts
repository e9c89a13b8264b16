import type { Stage, SuggestRequest, Suggestion } from '../../shared/schemas/chat';
import type { KnowledgeCategory } from '../../shared/schemas/knowledge';
import type { CodetteStore } from '../store/types';
import { reviewMix } from './answer/mix-review';
import { contentTerms } from './retrieval/terms';

const STAGE_CATEGORIES: Record<Stage, KnowledgeCategory[]> = {
  writing: ['music_theory', 'arrangement'],
  arrangement: ['arrangement', 'rhythm_groove'],
  sound_design: ['sound_design'],
  recording: ['recording', 'gain_staging'],
  editing: ['rhythm_groove', 'workflow'],
  mixing: ['eq', 'compression', 'mix_problems', 'reverb_delay', 'stereo_imaging'],
  mastering: ['mastering', 'gain_staging'],
};

const firstSentence = (text: string) => text.replace(/\n+/g, ' ').match(/^[^.!?]+[.!?]/)?.[0] ?? text.slice(0, 200);

/**
 * Ranked suggestions for a context: problems the figures show first (they cite the numbers), then the knowledge
 * entries for this source at this stage, ranked by how well they match it.
 */
export async function suggest(
  store: Pick<CodetteStore, 'searchKnowledge'>,
  request: SuggestRequest,
): Promise<Suggestion[]> {
  const { track_type: source, genre, stage, metrics } = request.context;
  const out: Suggestion[] = [];

  const review = reviewMix('', metrics ? { metrics } : undefined);
  for (const f of review?.findings ?? []) {
    if (f.severity === 'good') continue;
    out.push({
      type: 'fix',
      title: f.severity === 'problem' ? 'Fix before release' : 'Worth adjusting',
      description: f.text,
      reason: `From the figures you sent, against the ${review!.target.replace(/_/g, ' ')} target.`,
      confidence: f.severity === 'problem' ? 0.95 : 0.8,
      source_id: null,
      parameters: {},
    });
  }

  const categories = stage
    ? STAGE_CATEGORIES[stage]
    : (['eq', 'compression', 'mix_problems', 'arrangement'] as KnowledgeCategory[]);
  const subject = [source, genre].filter(Boolean).join(' ');
  const subjectTerms = new Set(contentTerms(subject));
  const seen = new Set<string>();
  for (const category of categories) {
    const hits = subject ? await store.searchKnowledge(subject, { category, limit: 3 }) : [];
    for (const hit of hits) {
      if (seen.has(hit.id)) continue;
      seen.add(hit.id);
      const entryTerms = new Set(contentTerms(`${hit.topic} ${hit.tags.join(' ')} ${hit.title}`));
      const matched = [...subjectTerms].filter((t) => entryTerms.has(t));
      const fit = subjectTerms.size ? matched.length / subjectTerms.size : 0;
      if (fit === 0) continue;
      const why = [
        source && `it is about ${hit.topic}, your ${source}`,
        stage && `it belongs to ${stage.replace('_', ' ')}`,
        genre && matched.length > 1 && `it fits ${genre}`,
      ].filter(Boolean);
      out.push({
        type: category,
        title: hit.title,
        description: firstSentence(hit.body),
        reason: `Suggested because ${why.join(' and ') || 'it matches what you described'}.`,
        confidence: Math.round((0.35 + 0.5 * fit * hit.score) * 100) / 100,
        source_id: hit.id,
        parameters: hit.parameters,
      });
    }
  }
  return out.sort((a, b) => b.confidence - a.confidence).slice(0, request.limit);
}
