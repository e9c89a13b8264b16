import { describe, expect, it } from 'vitest';
import { titleMatches } from '../title-match';

describe('title match', () => {
  it('weights the rare words of the question: the title naming them wins over one sharing common words', () => {
    const [lossless, clipping, sound] = titleMatches('does flac sound better than wav', [
      'Does WAV sound different from FLAC?',
      'Why my master clips after MP3/AAC encoding',
      'My mix sounds bad on earbuds: make it sound better',
    ]);
    expect(lossless).toBeGreaterThan(sound!);
    expect(lossless).toBeGreaterThan(clipping!);
    expect(lossless).toBeLessThanOrEqual(1);
  });

  it('gives nothing for a question of filler words only', () => {
    expect(titleMatches('how do i', ['Anything at all'])).toEqual([0]);
  });
});
