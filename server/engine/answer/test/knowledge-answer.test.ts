import { describe, expect, it } from 'vitest';
import { tidyBody, withoutContradictions } from '../knowledge-answer';
import { parameterLines } from '../parameters';

describe('composing an answer from an entry', () => {
  it('writes ranges cleanly: "-4 to -2 dB", "150-210 s"', () => {
    expect(tidyBody('Cut -4–-2 dB, keep 150–210 s, and a -6–0 dB window.')).toBe(
      'Cut -4 to -2 dB, keep 150-210 s, and a -6 to 0 dB window.',
    );
    expect(parameterLines({ cut_db: [-4, -2], length_seconds: [150, 210] })).toEqual([
      '- Cut: -4 to -2 dB',
      '- Length: 150-210 s',
    ]);
  });

  it('drops advice that works against the stated problem and keeps the list numbered', () => {
    const body =
      'Steps:\n1. **Level:** compress 3-6 dB.\n2. **Low mids:** cut 200-400 Hz so it is not woolly.\n3. **Presence:** boost 2-5 kHz.';
    expect(withoutContradictions(body, new Set(['thin']))).toBe(
      'Steps:\n1. **Level:** compress 3-6 dB.\n2. **Presence:** boost 2-5 kHz.',
    );
    expect(withoutContradictions(body, new Set(['harsh']))).toBe(
      'Steps:\n1. **Level:** compress 3-6 dB.\n2. **Low mids:** cut 200-400 Hz so it is not woolly.',
    );
    expect(withoutContradictions(body, new Set())).toBe(body);
  });
});
