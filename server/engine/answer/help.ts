import type { CodetteStore } from '../../store/types';
import type { Transport } from '../../transport/transport';
import type { LlmChooser } from '../llm/choice';
import { KnowledgeCategory } from '../../../shared/schemas/knowledge';

/** What Codette can do here and now: read from this server's knowledge, transport and model settings. */
export async function helpAnswer(services: {
  store: Pick<CodetteStore, 'countKnowledge'>;
  llm: Pick<LlmChooser, 'current'>;
  transport: Pick<Transport, 'snapshot'>;
}): Promise<string> {
  const model = services.llm.current();
  const entries = await services.store.countKnowledge();
  const state = services.transport.snapshot();
  const topics = KnowledgeCategory.options.map((c) => c.replace(/_/g, ' ')).join(', ');
  return [
    "**Here's what I can do**",
    `- **Answer production questions** from ${entries} knowledge entries (${topics}), citing them. Try "my mix sounds muddy" or "how do I compress a vocal?".`,
    '- **Drive the transport** of your DAW tab: "play", "stop", "record", "loop bars 5 to 8", "tempo 128", "go to bar 17", "metronome on".',
    '- **Calculate**: delay and reverb times for a tempo, note ↔ frequency, semitones → ratio, relative keys, the notes of a scale or chord.',
    '- **Review your mix** against Spotify, Apple Music, YouTube, broadcast or club targets, using the meters\' figures: "is my master too loud for Spotify?".',
    `- Right now the transport is ${state.state} at ${state.bpm} BPM, bar ${state.position.bar}. Answers come from ${model ? `the local model ${model.model}, grounded in the knowledge` : "Codette's built-in engine (no local model found)"}.`,
  ].join('\n');
}
