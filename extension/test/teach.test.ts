import { afterEach, describe, expect, it } from 'vitest';
import { DawAdapter } from '../content/adapter';
import { selectorFor, TeachMode, type TeachProgress } from '../content/teach';
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
