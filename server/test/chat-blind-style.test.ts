import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, postJson, type TestServer } from './helpers';
import { ChatResponse } from '../../shared/schemas/chat';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function ask(body: Record<string, unknown>) {
  const res = await server.fetch('/codette/chat', postJson(body));
  expect(res.status).toBe(200);
  return ChatResponse.parse(await res.json());
}

describe('chat as musicians write it (POST /codette/chat)', () => {
  it('applies a composite command in order at the new tempo and reports the loop in bars, seconds rounded', async () => {
    const reply = await ask({ message: 'set tempo to 92 and loop bars 9 to 16', daw_context: { bpm: 120 } });
    expect(reply.actions.map((a) => a.action)).toEqual(['tempo', 'loop']);
    expect(reply.response).toBe('Done: tempo set to 92 BPM, then looping bars 9-16 (20.9-41.7 s at 92 BPM).');
    const status = await server.json<{ bpm: number; loop: { start_seconds: number } }>('/codette/status');
    expect(status.body.bpm).toBe(92);
    expect(status.body.loop.start_seconds).toBeCloseTo(20.8696, 3);
  });

  it('starts a relative command from the tempo the DAW reports', async () => {
    const reply = await ask({ message: 'can you make it a bit faster, like 5 bpm', daw_context: { bpm: 140 } });
    expect(reply.actions).toEqual([{ action: 'tempo', bpm: 145 }]);
  });

  it('asks back with buttons when a section has no bars, and moves nothing', async () => {
    const reply = await ask({ message: 'loop the chorus' });
    expect(reply.actions).toEqual([]);
    expect(reply.response).toMatch(/^Which bars is the chorus\?/);
    expect(reply.follow_ups).toContain('Loop bars 17 to 24');
  });

  it("declines off-topic questions plainly, in the asker's language", async () => {
    const en = await ask({ message: 'can you help me file my taxes' });
    expect(en.response).toMatch(/^That's outside what I can help with/);
    expect(en.sources).toEqual([]);
    const fr = await ask({ message: "c'est quoi la recette de la blanquette de veau" });
    expect(fr.response).toMatch(/^Cela sort de ce que je peux faire/);
    expect(fr.response).not.toMatch(/veau|crème/);
  });

  it('answers French in French: the mix review, the calculation, and says when the entry is English', async () => {
    const review = await ask({
      message: 'mon mix est-il trop fort pour spotify ?',
      daw_context: { metrics: { integrated_lufs: -9, true_peak_dbtp: 0.3 } },
    });
    expect(review.response).toMatch(/^\*\*Ton mix face à Spotify\*\*/);
    expect(review.response).toContain('5.0 LU au-dessus');
    expect(review.response).toContain('rédigée en anglais');
    const calc = await ask({ message: 'croche pointée à 90 bpm ?' });
    expect(calc.response).toContain('croche pointée');
    expect(calc.response).toContain('500 ms');
  });

  it('reads a follow-up as the previous question with the new slot: tempo, subject, platform', async () => {
    const first = await ask({ message: 'dotted eighth delay at 120' });
    const second = await ask({ message: 'and at 140?', session_id: first.session_id });
    expect(second.response).toContain('321.43 ms');
    const vocal = await ask({ message: 'how should i compress vocals' });
    const bass = await ask({ message: 'and on the bass?', session_id: vocal.session_id });
    expect(bass.sources[0]?.id).toBe('comp.bass');
  });
});
