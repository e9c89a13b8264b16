import { afterEach, describe, expect, it } from 'vitest';
import { DawAdapter } from '../content/adapter';
import { selectorFor, TeachMode, type TeachProgress } from '../content/teach';
import type { SiteProfile } from '../content/profiles';
import { SETTINGS_KEY } from '../lib/settings-key';

/** Teach mode on a page whose controls nothing could name: the user shows them, Codette stores and checks a profile. */
const timing = { verifyMs: 100, verifyAudioMs: 150, pollMs: 10, gestureMs: 400, silenceMs: 80, rescanMs: 40 };

function storage(initial: Record<string, unknown> = {}) {
  const data: Record<string, unknown> = { ...initial };
  return {
    data,
    get: async (k: string) => ({ [k]: data[k] }),
    set: async (v: Record<string, unknown>) => void Object.assign(data, v),
  };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('teach mode', () => {
  it('makes a selector that finds exactly the clicked element again', () => {
    document.body.innerHTML = `<div id="bar"><div class="x"></div><div class="x"><span></span></div></div><div title="Go"></div>`;
    const span = document.querySelector('.x:nth-of-type(2) span')!;
    expect(document.querySelector(selectorFor(span))).toBe(span);
    expect(selectorFor(document.querySelector('[title=Go]')!)).toBe('div[title="Go"]');
  });

  it("stores the taught controls as this origin's profile, uses it at once, and checks that play and stop work", async () => {
    document.body.innerHTML = `<div class="a"></div><div class="b"></div><div id="state" data-mode="idle"></div>`;
    const [a, b] = [document.querySelector('.a')!, document.querySelector('.b')!];
    const adapter = new DawAdapter(document, { timing });
    expect((await adapter.execute({ action: 'play' })).reason).toBe('control_not_found');
    a.addEventListener('mousedown', () => adapter.setAudio({ playing: true, contexts: 1 }));
    b.addEventListener('mousedown', () => adapter.setAudio({ playing: false, contexts: 1 }));
    const seen: TeachProgress[] = [];
    const store = storage({
      [SETTINGS_KEY]: { serverUrl: 'http://127.0.0.1:8000', profiles: [{ match: 'https://other.example' }] },
    });
    const teach = new TeachMode(document, adapter, (p) => seen.push(p), store);
    await teach.step('start');
    expect(seen.at(-1)).toMatchObject({ step: 'play' });
    teach.pick(a);
    teach.pick(b);
    expect(seen.at(-1)).toMatchObject({ step: 'record' });
    await teach.step('save');
    const profiles = (
      store.data[SETTINGS_KEY] as {
        serverUrl: string;
        profiles: { match: string; taught?: boolean; selectors?: Record<string, string> }[];
      }
    ).profiles;
    expect(profiles.map((p) => p.match)).toEqual(['https://other.example', location.origin]);
    expect(profiles[1]).toMatchObject({ taught: true, selectors: { play: selectorFor(a), stop: selectorFor(b) } });
    expect(seen.at(-1)).toMatchObject({ step: null, verified: { play: true, stop: true } });
    expect(seen.at(-1)?.message).toContain('not taught: record, loop, tempo');
    expect((await adapter.execute({ action: 'play' })).ok).toBe(true);
  });

  it('learns how the app shows that it plays (a class on its play control), and the adapter reads it from then on', async () => {
    document.body.innerHTML = `<div id="bar"><div class="go"></div><div class="halt"></div></div><ol><li></li><li></li><li></li></ol>`;
    const [go, halt] = [document.querySelector('.go')!, document.querySelector('.halt')!];
    const rows = Array.from(document.querySelectorAll('li'));
    let step: ReturnType<typeof setInterval> | undefined;
    // Plays after 300 ms (it renders first); a marker runs over the rows every 30 ms while it plays (noise to ignore).
    go.addEventListener('mousedown', () =>
      setTimeout(() => {
        go.classList.add('lit');
        let i = 0;
        step = setInterval(() => rows.forEach((r, j) => r.classList.toggle('cur', j === i++ % 3)), 30);
      }, 300),
    );
    halt.addEventListener('mousedown', () => {
      clearInterval(step);
      go.classList.remove('lit');
      rows.forEach((r) => r.classList.remove('cur'));
    });
    const adapter = new DawAdapter(document, { timing });
    const store = storage();
    const seen: TeachProgress[] = [];
    const teach = new TeachMode(document, adapter, (p) => seen.push(p), store);
    await teach.step('start');
    teach.pick(go);
    teach.pick(halt);
    await teach.step('save');
    const profile = (store.data[SETTINGS_KEY] as { profiles: SiteProfile[] }).profiles[0]!;
    expect(profile.state?.playing).toEqual({ selector: selectorFor(go), className: 'lit' });
    expect(profile.reactMs).toBeGreaterThanOrEqual(250);
    expect(seen.at(-1)).toMatchObject({ verified: { play: true, stop: true } });
    expect(seen.at(-1)?.message).toContain(`playing shows as class lit on ${selectorFor(go)}`);
    // The closed loop reads the taught state: the DAW's own press shows as playing, a command waits for its render.
    expect(adapter.observe().playing).toBe(false);
    const play = await adapter.execute({ action: 'play' });
    expect(play).toMatchObject({ ok: true, observed: { playing: true } });
    expect((await adapter.execute({ action: 'stop' })).observed.playing).toBe(false);
  }, 20_000);

  it('learns a marker that shows only while the app plays (a playhead row) when nothing else flips', async () => {
    document.body.innerHTML = `<div class="go"></div><div class="halt"></div><table><tr></tr><tr></tr><tr></tr></table>`;
    const [go, halt] = [document.querySelector('.go')!, document.querySelector('.halt')!];
    const rows = Array.from(document.querySelectorAll('tr'));
    let step: ReturnType<typeof setInterval> | undefined;
    go.addEventListener('mousedown', () => {
      let i = 0;
      step = setInterval(() => rows.forEach((r, j) => r.classList.toggle('playpos', j === i++ % 3)), 30);
    });
    halt.addEventListener('mousedown', () => {
      clearInterval(step);
      rows.forEach((r) => r.classList.remove('playpos'));
    });
    const adapter = new DawAdapter(document, { timing });
    const store = storage();
    const teach = new TeachMode(document, adapter, () => undefined, store);
    await teach.step('start');
    teach.pick(go);
    teach.pick(halt);
    await teach.step('save');
    const profile = (store.data[SETTINGS_KEY] as { profiles: SiteProfile[] }).profiles[0]!;
    expect(profile.state?.playing).toEqual({ selector: '.playpos', present: true });
    expect((await adapter.execute({ action: 'play' })).observed.playing).toBe(true);
    expect((await adapter.execute({ action: 'stop' })).observed.playing).toBe(false);
  }, 20_000);

  it('says so when the taught play control does not make the DAW play', async () => {
    document.body.innerHTML = `<div class="a"></div><div class="b"></div>`;
    const adapter = new DawAdapter(document, { timing });
    adapter.setAudio({ playing: false, contexts: 1 });
    const seen: TeachProgress[] = [];
    const teach = new TeachMode(document, adapter, (p) => seen.push(p), storage());
    await teach.step('start');
    teach.pick(document.querySelector('.a')!);
    teach.pick(document.querySelector('.b')!);
    await teach.step('save');
    expect(seen.at(-1)).toMatchObject({ verified: { play: false } });
  });

  it('saves nothing without a play control', async () => {
    const store = storage();
    const seen: TeachProgress[] = [];
    const teach = new TeachMode(document, new DawAdapter(document, { timing }), (p) => seen.push(p), store);
    await teach.step('start');
    await teach.step('save');
    expect(store.data[SETTINGS_KEY]).toBeUndefined();
    expect(seen.at(-1)?.message).toBe('missing: play');
  });
});
