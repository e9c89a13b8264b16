import { afterEach, describe, expect, it, vi } from 'vitest';
import { DawAdapter, parseClock, wordsOf } from '../content/adapter';
import { parseKey, profileFor } from '../content/profiles';

function page(html: string) {
  document.body.innerHTML = html;
  return new DawAdapter(document);
}

describe('generic DAW adapter', () => {
  afterEach(() => {
    document.body.innerHTML = '';
    vi.useRealTimers();
  });

  it("reports the page's own clock while it stands still (a Stop back to the start, a seek), not while it plays", () => {
    expect([parseClock('0:07.1'), parseClock('1:02:03'), parseClock('4.3.237'), parseClock('12:5')]).toEqual([7.1, 3723, undefined, undefined]);
    const a = page(`<button aria-label="Play" aria-pressed="false">▶</button><span class="lcd"><span id="bars">4.3.1</span> · <span id="time">0:07.1</span></span>`);
    expect(a.observe().position_seconds).toBe(7.1);
    document.getElementById('time')!.textContent = '0:00.0';
    expect(a.observe().position_seconds).toBe(0);
    document.querySelector('button')!.setAttribute('aria-pressed', 'true');
    expect(a.observe().position_seconds).toBeUndefined();
  });

  it('splits class names and labels into words', () => {
    expect(wordsOf('btnPlay icon-play_arrow fa-circle-stop')).toBe('btn play icon play arrow fa circle stop');
  });

  it('finds labelled controls and reads aria-pressed', () => {
    const a = page(`
      <button aria-label="Play" aria-pressed="true">▶</button>
      <button aria-label="Stop">■</button>
      <button title="Record" aria-pressed="false"></button>
      <button aria-label="Loop" aria-pressed="true"></button>
      <label for="t">Tempo</label><input id="t" value="128">`);
    expect(a.observe()).toMatchObject({ playing: true, recording: false, loop: { enabled: true }, bpm: 128 });
    expect(a.controls()).toEqual(expect.arrayContaining(['play', 'stop', 'record', 'loop', 'tempo', 'keys']));
  });

  it('reads unlabelled controls by class and by the icon swapped from play to pause', () => {
    const a = page(`<div class="transport-bar"><div class="tb-btn js-toggle"><i class="icon icon-play"></i></div><div class="tb-btn js-rec"><i class="icon icon-rec"></i></div></div>`);
    expect(a.observe().playing).toBe(false);
    document.querySelector('.js-toggle i')!.className = 'icon icon-pause';
    document.querySelector('.js-rec')!.classList.add('is-on');
    expect(a.observe()).toMatchObject({ playing: true, recording: true });
  });

  it('does not take a playlist or a player for the play button', () => {
    const a = page(`<button aria-label="Playlist">x</button><div class="player-wrap">y</div>`);
    expect(a.find().play).toBeUndefined();
  });

  it('clicks the play button for play, and does nothing when already playing', () => {
    const a = page(`<button aria-label="Play" aria-pressed="false">▶</button>`);
    const btn = document.querySelector('button')!;
    let clicks = 0;
    btn.addEventListener('click', () => {
      clicks++;
      btn.setAttribute('aria-pressed', 'true');
    });
    expect(a.execute({ action: 'play' })).toEqual({ ok: true, via: 'button' });
    expect(a.execute({ action: 'play' })).toEqual({ ok: true, via: 'already' });
    expect(clicks).toBe(1);
  });

  it('pauses with a play button that is a pressed toggle (aria-pressed) rather than with Stop, which loses the position', () => {
    const a = page(`<button aria-label="Play" aria-pressed="true">▶</button><button aria-label="Stop">■</button>`);
    const [play, stop] = Array.from(document.querySelectorAll('button'));
    const clicked: string[] = [];
    play!.addEventListener('click', () => {
      clicked.push('play');
      play!.setAttribute('aria-pressed', 'false');
    });
    stop!.addEventListener('click', () => clicked.push('stop'));
    expect(a.execute({ action: 'pause' })).toEqual({ ok: true, via: 'button' });
    expect(a.execute({ action: 'pause' })).toEqual({ ok: true, via: 'already' });
    expect(clicked).toEqual(['play']);
  });

  it('pauses with Stop when the only play button is not a toggle', () => {
    const a = page(`<button class="btn-play playing">▶</button><button aria-label="Stop">■</button>`);
    const clicked: string[] = [];
    for (const b of Array.from(document.querySelectorAll('button'))) b.addEventListener('click', () => clicked.push(b.getAttribute('aria-label') ?? 'play'));
    a.execute({ action: 'pause' });
    expect(clicked).toEqual(['Stop']);
  });

  it('falls back to the keyboard (Space, Enter) when there is nothing to click', () => {
    const a = page(`<canvas width="800" height="400"></canvas>`);
    const keys: string[] = [];
    window.addEventListener('keydown', (e) => keys.push(e.key));
    a.execute({ action: 'play' });
    a.execute({ action: 'stop' });
    expect(keys).toEqual([' ', 'Enter']);
  });

  it('does not toggle a canvas app back when a second play arrives before the page shows the first', () => {
    const a = page(`<canvas width="800" height="400"></canvas>`);
    let playing = false;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === ' ') playing = !playing;
    };
    window.addEventListener('keydown', onKey);
    a.setAudio({ playing: false, contexts: 1 }); // the hook has not heard the sound yet
    a.execute({ action: 'play' });
    a.execute({ action: 'play' });
    expect(playing).toBe(true);
    a.execute({ action: 'pause' });
    expect(playing).toBe(false);
    window.removeEventListener('keydown', onKey);
  });

  it('uses the AudioContext hook to know whether a canvas app plays', () => {
    const a = page(`<canvas></canvas>`);
    expect(a.observe().playing).toBeUndefined();
    a.setAudio({ playing: true, contexts: 1 });
    expect(a.observe().playing).toBe(true);
    expect(a.controls()).toContain('audio');
  });

  it('sets the tempo field the way frameworks notice', () => {
    const a = page(`<input aria-label="BPM" value="120">`);
    const seen: string[] = [];
    document.querySelector('input')!.addEventListener('change', (e) => seen.push((e.target as HTMLInputElement).value));
    expect(a.execute({ action: 'tempo', bpm: 96 }).ok).toBe(true);
    expect(seen).toEqual(['96']);
    expect(a.observe().bpm).toBe(96);
  });

  it('lets a site profile override the guesses: selectors, state and keys', () => {
    document.body.innerHTML = `<div id="go" data-x="1"></div><div id="transport" data-mode="rolling"></div>`;
    const a = new DawAdapter(document, {
      profile: { match: 'http://x', selectors: { play: '#go' }, state: { playing: { selector: '#transport', attribute: 'data-mode', value: 'rolling' } }, keys: { stop: 'Shift+S' } },
    });
    expect(a.observe().playing).toBe(true);
    const keys: string[] = [];
    window.addEventListener('keydown', (e) => keys.push(`${e.shiftKey ? 'Shift+' : ''}${e.key}`));
    a.execute({ action: 'stop' });
    expect(keys).toEqual(['Shift+S']);
  });

  it('reports changes seen by the MutationObserver', async () => {
    const reports: unknown[] = [];
    document.body.innerHTML = `<button aria-label="Play" aria-pressed="false"></button>`;
    const a = new DawAdapter(document, { onChange: (r) => reports.push(r), debounceMs: 5 });
    a.start();
    document.querySelector('button')!.setAttribute('aria-pressed', 'true');
    await new Promise((r) => setTimeout(r, 50));
    a.stop();
    expect(reports).toEqual([expect.objectContaining({ playing: true })]);
  });

  it('parses key specs and picks the user profile over a built-in one', () => {
    expect(parseKey('Space')).toMatchObject({ key: ' ', code: 'Space', keyCode: 32 });
    expect(parseKey('Ctrl+L')).toMatchObject({ key: 'l', code: 'KeyL', ctrlKey: true });
    const user = [{ match: 'https://www.bandlab.com', name: 'mine' }];
    expect(profileFor('https://www.bandlab.com', user)?.name).toBe('mine');
    expect(profileFor('https://www.bandlab.com', [])?.name).toBe('BandLab Studio');
    expect(profileFor('https://a.example.com', [{ match: 'https://*.example.com', name: 'wild' }])?.name).toBe('wild');
  });
});
