import { describe, expect, it } from 'vitest';
import { classifyIntent } from '../intent';

describe('intent', () => {
  it('tells commands from questions about the same transport concept', () => {
    expect(classifyIntent('loop bars 5 to 8').intent).toBe('transport');
    expect(classifyIntent('how do I loop a section in bandlab?').intent).toBe('knowledge');
    expect(classifyIntent('set the tempo to 174').intent).toBe('transport');
    expect(classifyIntent('what tempo is drum and bass?').intent).toBe('knowledge');
  });

  it('routes calculations, mix questions and help', () => {
    expect(classifyIntent('dotted eighth delay at 120 bpm').intent).toBe('calculation');
    expect(classifyIntent('is my master too loud for spotify?').intent).toBe('mix_question');
    expect(classifyIntent('why does my mix sound muddy right now').intent).toBe('mix_question');
    expect(classifyIntent('how are my levels').intent).toBe('mix_question');
    expect(classifyIntent('what can you do').intent).toBe('help');
    expect(classifyIntent('help').intent).toBe('help');
  });

  it('keeps general questions about mixes as knowledge', () => {
    expect(classifyIntent('why do mixes sound muddy').intent).toBe('knowledge');
    expect(classifyIntent('how do I make my mix louder').intent).toBe('knowledge');
  });

  it('derives confidence from the match: filler lowers it, an out-of-range value lowers it more', () => {
    const bare = classifyIntent('stop').confidence;
    const padded = classifyIntent('ok could you please stop for me thanks').confidence;
    const rejected = classifyIntent('tempo 1000').confidence;
    expect(bare).toBeGreaterThan(padded);
    expect(bare).toBeGreaterThan(rejected);
    expect(classifyIntent('how much compression on a kick drum bus').confidence).toBeGreaterThan(
      classifyIntent('what about it').confidence,
    );
    for (const text of ['stop', 'what about it', 'is my mix ok', 'help', 'C4 in hz']) {
      const { confidence } = classifyIntent(text);
      expect(confidence).toBeGreaterThan(0);
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });

  it('chooses the perspective from the wording', () => {
    expect(classifyIntent('why is there a click when I record').perspective).toBe('technical_troubleshooting');
    expect(classifyIntent('why is there so much latency').perspective).toBe('technical_troubleshooting');
    expect(classifyIntent('which chord comes after the IV in a key').perspective).toBe('audio_theory');
    expect(classifyIntent('how do I arrange a song idea into a full track').perspective).toBe('creative_production');
    expect(classifyIntent('is there a shortcut to organise my tracks faster').perspective).toBe(
      'workflow_optimization',
    );
    expect(classifyIntent('how much compression on vocals').perspective).toBe('mix_engineering');
  });

  it('classifies a message in well under a millisecond', () => {
    const messages = [
      'how do I EQ a muddy vocal',
      'stop and go to bar 1',
      'notes in D dorian',
      'is my master too loud for spotify?',
    ];
    const start = performance.now();
    for (let i = 0; i < 500; i++) for (const m of messages) classifyIntent(m);
    expect((performance.now() - start) / 2000).toBeLessThan(0.5);
  });
});
