import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASK_MIX_QUESTION, EXAMPLE_QUESTIONS } from '../../extension/lib/questions';
import { isDecline } from '../engine/answer/decline';
import { detectLanguage } from '../engine/understand/language';
import { type EvalHarness, openHarness } from '../eval/harness';

/** The panel's example questions, in each of its languages, through Codette's real chat path. */
let harness: EvalHarness;
beforeAll(async () => {
  harness = await openHarness();
});
afterAll(() => harness.close());

const NO_ANSWER = /grounded answer|réponse fiable|couldn't turn that|outside what I can help|sort de ce que je peux/i;

describe("the side panel's example questions", () => {
  for (const lang of ['en', 'fr'] as const) {
    it(`get a real answer in ${lang === 'en' ? 'English' : 'French'}, never a decline`, async () => {
      for (const question of EXAMPLE_QUESTIONS[lang]) {
        const { reply } = await harness.ask(question);
        expect(isDecline(reply), question).toBe(false);
        expect(reply.response, question).not.toMatch(NO_ANSWER);
        // Confidence is a calibrated chance of a useful answer (understand-question.ts): above even odds.
        expect(reply.confidence, question).toBeGreaterThanOrEqual(0.5);
        expect(
          reply.sources.length + reply.actions.length + (/\*\*/.test(reply.response) ? 1 : 0),
          question,
        ).toBeGreaterThan(0);
        // A French question is answered in French; a knowledge passage still in English says so in French.
        if (lang === 'fr')
          expect(detectLanguage(reply.response) === 'fr' || /rédigée en anglais/.test(reply.response), question).toBe(
            true,
          );
      }
    });
  }

  it('"Ask Codette about this mix" in French gets the mix review in French and nothing else appended', async () => {
    const { reply } = await harness.ask(ASK_MIX_QUESTION('Spotify', 'fr'), {
      daw_context: { metrics: { integrated_lufs: -8.2, true_peak_dbtp: 0.4, range_lu: 3.1 } },
    });
    expect(reply.response).toMatch(/-8[.,]2/);
    expect(reply.response).not.toMatch(NO_ANSWER);
    expect(detectLanguage(reply.response)).toBe('fr');
  });
});
