import { afterEach, describe, expect, it, vi } from 'vitest';
import { DawAdapter, parseClock, wordsOf, type AdapterOptions } from '../content/adapter';
import type { DawReport } from '../../shared/schemas/transport';
import { rankControls } from '../content/controls';
import { press } from '../content/press';
import { keyFor, keySpecOf, parseKey, profileFor } from '../content/profiles';

/** Short waits so that the closed loop runs in milliseconds here. */
const timing = { verifyMs: 120, verifyAudioMs: 200, pollMs: 10, gestureMs: 400, silenceMs: 80, rescanMs: 40 };

function page(html: string, options: AdapterOptions = {}) {
  document.body.innerHTML = html;
  return new DawAdapter(document, { timing, ...options });
}
const $ = (s: string) => document.querySelector(s)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A button that really toggles something when the app's own listener (mousedown, as SoundBox binds) hears it. */
function onDown(selector: string, fn: () => void) {
  $(selector).addEventListener('mousedown', fn);
}

afterEach(() => {
  document.body.innerHTML = '';
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('choosing the element a user would press', () => {
  it('splits class names and labels into words', () => {
    expect(wordsOf('btnPlay icon-play_arrow fa-circle-stop')).toBe('btn play icon play arrow fa circle stop');
  });

  it('goes down into containers whose classes say "play" to the real button inside (document order would take the div)', () => {
    const a = page(`
      <div class="playpause-wrap"><div class="play-area">
        <button id="real" aria-label="Play">▶</button><button id="other" aria-label="Shuffle">~</button>
      </div></div>
      <div class="stop-zone"><button id="halt"><svg class="icon-stop"></svg></button></div>`);
    expect(a.find().play?.id).toBe('real');
    expect(a.find().playpause).toBeUndefined();
    expect(a.find().stop?.id).toBe('halt');
  });

  it('ranks an exact label above an icon above a class fragment, whatever comes first in the page', () => {
    page(`
      <span class="play-hint" onclick="">frag</span>
      <button id="icon"><i class="fa-play"></i></button>
      <button id="label" title="Play">▶</button>`);
    const play = rankControls(document).get('play')!;
    expect(play.map((c) => c.el.id || c.el.className)).toEqual(['label', 'icon', 'play-hint']);
    expect(play.map((c) => c.source)).toEqual(['exact', 'icon', 'fragment']);
  });

  it('skips hidden and disabled buttons', () => {
    const a = page(
      `<button id="a" aria-label="Play" disabled>▶</button><button id="b" aria-label="Play" style="display:none">▶</button><button id="c" aria-label="Play">▶</button>`,
    );
    expect(a.find().play?.id).toBe('c');
  });

  it('presses the button an icon sits in, not the icon', () => {
    const a = page(`<div class="bar"><button id="go"><svg><use href="#icon-play"></use></svg></button></div>`);
    expect(a.find().play?.id).toBe('go');
  });

  it('does not take a playlist or a player for the play button', () => {
    const a = page(`<button aria-label="Playlist">x</button><div class="player-wrap">y</div>`);
    expect(a.find().play).toBeUndefined();
  });

  it('presses like a mouse: pointer and mouse down, up, then click, with the primary button', () => {
    page(`<button id="b">x</button>`);
    const seen: string[] = [];
    for (const t of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'])
      $('#b').addEventListener(t, (e) => seen.push(`${t}:${(e as MouseEvent).button}`));
    press($('#b'));
    expect(seen).toEqual(['pointerdown:0', 'mousedown:0', 'pointerup:0', 'mouseup:0', 'click:0']);
  });
});

describe('truth from more than one source', () => {
  it('finds labelled controls and reads aria-pressed', () => {
    const a = page(`
      <button aria-label="Play" aria-pressed="true">▶</button>
      <button aria-label="Stop">■</button>
      <button title="Record" aria-pressed="false"></button>
      <button aria-label="Loop" aria-pressed="true"></button>
      <label for="t">Tempo</label><input id="t" value="128">`);
    expect(a.observe()).toMatchObject({ playing: true, recording: false, loop: { enabled: true }, bpm: 128 });
    expect(a.controls()).toEqual(expect.arrayContaining(['play', 'stop', 'record', 'loop', 'tempo']));
  });

  it('reads unlabelled controls by class and by the icon swapped from play to pause (without searching the page again)', async () => {
    const a = page(
      `<div class="transport-bar"><div class="tb-btn js-toggle"><i class="icon icon-play"></i></div><div class="tb-btn js-rec"><i class="icon icon-rec"></i></div></div>`,
    );
    a.start();
    expect(a.observe().playing).toBeUndefined();
    $('.js-toggle i').className = 'icon icon-pause';
    $('.js-rec').classList.add('is-on');
    await sleep(60);
    expect(a.observe()).toMatchObject({ playing: true, recording: true });
    a.stop();
  });

  it('hears the AudioContext hook where a play button exists but shows no state (SoundBox: play, no pause)', () => {
    const a = page(`<button id="playSong">Play</button><button id="stopPlaying">Stop</button>`);
    a.noteUserGesture(); // the user pressed the app's own play
    a.setAudio({ playing: true, contexts: 1 });
    expect(a.observe().playing).toBe(true);
    a.noteUserGesture();
    a.setAudio({ playing: false, contexts: 1 });
    expect(a.observe().playing).toBe(false);
  });

  it('does not let page script fake sound into "playing": the hook counts only after a user gesture or during a command', async () => {
    const a = page(`<canvas></canvas>`);
    a.setAudio({ playing: true, contexts: 1 }); // forged: no gesture, no command
    expect(a.observe().playing).toBeUndefined();
    a.noteUserGesture();
    a.setAudio({ playing: true, contexts: 1 });
    expect(a.observe().playing).toBe(true);
    // Long after the gesture, silence still counts once it lasts (a song that ended), sound never.
    a.noteUserGesture(performance.now() - 10_000);
    a.setAudio({ playing: false, contexts: 1 });
    expect(a.observe().playing).toBe(true);
    await sleep(120);
    expect(a.observe().playing).toBe(false);
    a.setAudio({ playing: true, contexts: 1 });
    expect(a.observe().playing).toBe(false);
  });
});

describe('closed loop: every command is checked against the DAW', () => {
  it('clicks play, sees the DAW change, and does nothing when it already plays', async () => {
    const a = page(`<button aria-label="Play" aria-pressed="false">▶</button>`);
    let clicks = 0;
    $('button').addEventListener('click', () => {
      clicks++;
      $('button').setAttribute('aria-pressed', 'true');
    });
    expect(await a.execute({ action: 'play' })).toMatchObject({ ok: true, via: 'button', observed: { playing: true } });
    expect(await a.execute({ action: 'play' })).toMatchObject({ ok: true, via: 'already' });
    expect(clicks).toBe(1);
  });

  it("a press that changes nothing is reported as no_effect with the DAW's real state, after trying the next control", async () => {
    const a = page(
      `<button id="p1" aria-label="Play" aria-pressed="false">▶</button><button id="pp" aria-label="Play/Pause" aria-pressed="false">⏯</button>`,
    );
    const pressed: string[] = [];
    for (const b of Array.from(document.querySelectorAll('button')))
      b.addEventListener('mousedown', () => pressed.push(b.id));
    const out = await a.execute({ action: 'play' });
    expect(out).toMatchObject({ ok: false, reason: 'no_effect', observed: { playing: false } });
    expect(pressed).toEqual(['p1', 'pp']);
  });

  it('falls back to the next control when the first does nothing', async () => {
    const a = page(
      `<button id="p1" aria-label="Play" aria-pressed="false">▶</button><button id="pp" aria-label="Play/Pause">⏯</button>`,
    );
    onDown('#pp', () => $('#p1').setAttribute('aria-pressed', 'true'));
    expect(await a.execute({ action: 'play' })).toMatchObject({ ok: true, observed: { playing: true } });
  });

  it('verifies through the audio hook where the page shows nothing (the app starts sound after rendering)', async () => {
    const a = page(`<button id="playSong">Play</button>`);
    onDown('#playSong', () => setTimeout(() => a.setAudio({ playing: true, contexts: 1 }), 60));
    expect(await a.execute({ action: 'play' })).toMatchObject({ ok: true, via: 'button', observed: { playing: true } });
  });

  it("where only sound tells, waits at least twice as long as the user's own press took, and presses no second play control", async () => {
    const a = page(`<button id="playSong">Play</button><button id="playRange" title="Play range">Range</button>`);
    const pressed: string[] = [];
    for (const id of ['playSong', 'playRange']) onDown(`#${id}`, () => pressed.push(id));
    // The user's own press made sound after 300 ms (longer than verifyAudioMs here).
    a.noteUserGesture(performance.now() - 300);
    a.setAudio({ playing: true, contexts: 1 });
    a.noteUserGesture();
    a.setAudio({ playing: false, contexts: 1 });
    onDown('#playSong', () => setTimeout(() => a.setAudio({ playing: true, contexts: 1 }), 450));
    expect(await a.execute({ action: 'play' })).toMatchObject({ ok: true, observed: { playing: true } });
    expect(pressed).toEqual(['playSong']);
  });

  it('pauses with a play button that is a pressed toggle rather than with Stop, which loses the position', async () => {
    const a = page(`<button aria-label="Play" aria-pressed="true">▶</button><button aria-label="Stop">■</button>`);
    const [play, stop] = Array.from(document.querySelectorAll('button'));
    const clicked: string[] = [];
    play!.addEventListener('click', () => {
      clicked.push('play');
      play!.setAttribute('aria-pressed', 'false');
    });
    stop!.addEventListener('click', () => clicked.push('stop'));
    expect(await a.execute({ action: 'pause' })).toMatchObject({ ok: true, via: 'button' });
    expect(await a.execute({ action: 'pause' })).toMatchObject({ ok: true, via: 'already' });
    expect(clicked).toEqual(['play']);
  });

  it('sets the tempo field the way frameworks notice', async () => {
    const a = page(`<input aria-label="BPM" value="120">`);
    const seen: string[] = [];
    $('input').addEventListener('change', (e) => seen.push((e.target as HTMLInputElement).value));
    expect(await a.execute({ action: 'tempo', bpm: 96 })).toMatchObject({ ok: true, observed: { bpm: 96 } });
    expect(seen).toEqual(['96']);
  });
});

describe('tempo without a field', () => {
  it('presses the tempo +/- buttons until the shown tempo is the wanted one (MIDIDrums: -4/+4 images)', async () => {
    const a = page(
      `<div id="tempodisplay"><span id="tempo">100</span> <span id="bpm">bpm</span></div><img id="tempodec" src="images/tempo_dec.png"><img id="tempoinc" src="images/tempo_inc.png">`,
    );
    const show = (d: number) => ($('#tempo').textContent = String(Number($('#tempo').textContent) + d));
    onDown('#tempoinc', () => show(4));
    onDown('#tempodec', () => show(-4));
    expect(a.observe().bpm).toBe(100);
    expect(await a.execute({ action: 'tempo', bpm: 120 })).toMatchObject({
      ok: true,
      via: 'stepper',
      observed: { bpm: 120 },
    });
    expect(await a.execute({ action: 'tempo', bpm: 110 })).toMatchObject({ ok: false, reason: 'no_effect' });
    expect(a.observe().bpm).toBe(108);
  });
});

describe('keys: a last resort, only with evidence', () => {
  it('sends no key to a canvas app it knows nothing about, and says the control was not found', async () => {
    const a = page(`<canvas width="800" height="400"></canvas>`);
    const keys: string[] = [];
    window.addEventListener('keydown', (e) => keys.push(e.key));
    expect(await a.execute({ action: 'play' })).toMatchObject({ ok: false, reason: 'control_not_found' });
    expect(await a.execute({ action: 'record', enabled: true })).toMatchObject({
      ok: false,
      reason: 'control_not_found',
    });
    expect(keys).toEqual([]);
    expect(a.controls()).not.toContain('keys');
  });

  it("uses a profile's keys and verifies them through the hook (BassoonTracker: Enter plays, Space would arm recording)", async () => {
    const a = page(`<canvas width="800" height="400"></canvas>`, {
      profile: { match: 'http://x', keys: { playpause: 'Enter' } },
    });
    const keys: string[] = [];
    const onKey = (e: KeyboardEvent) => {
      keys.push(e.key);
      if (e.key === 'Enter') a.setAudio({ playing: keys.filter((k) => k === 'Enter').length % 2 === 1, contexts: 1 });
    };
    window.addEventListener('keydown', onKey);
    expect(await a.execute({ action: 'play' })).toMatchObject({
      ok: true,
      via: 'key Enter',
      observed: { playing: true },
    });
    expect(await a.execute({ action: 'stop' })).toMatchObject({
      ok: true,
      via: 'key Enter',
      observed: { playing: false },
    });
    expect(keys).toEqual(['Enter', 'Enter']);
    window.removeEventListener('keydown', onKey);
  });

  it('never presses a record toggle key to switch recording off where the page does not show recording', async () => {
    const a = page(`<canvas></canvas>`, { profile: { match: 'http://x', keys: { record: 'r' } } });
    const keys: string[] = [];
    const onKey = (e: KeyboardEvent) => keys.push(e.key);
    window.addEventListener('keydown', onKey);
    expect(await a.execute({ action: 'record', enabled: false })).toMatchObject({
      ok: false,
      reason: 'control_not_found',
    });
    expect(keys).toEqual([]);
    await a.execute({ action: 'record', enabled: true });
    expect(keys).toEqual(['r']);
    window.removeEventListener('keydown', onKey);
  });

  it('learns the key the user pressed just before the DAW started, and never learns a record key', () => {
    const learned: unknown[] = [];
    const a = page(`<canvas></canvas>`, { onLearn: (l) => learned.push(l) });
    a.check();
    a.noteUserKey({
      key: 'Enter',
      ctrlKey: false,
      altKey: false,
      metaKey: false,
      shiftKey: false,
      target: document.body,
    });
    a.noteUserGesture();
    a.setAudio({ playing: true, contexts: 1 });
    a.check();
    expect(learned).toEqual([{ playpause: 'Enter' }]);
    expect(keyFor('record', undefined, { record: 'r' })).toBeUndefined();
    expect(keySpecOf({ key: ' ', ctrlKey: false, altKey: false, metaKey: false, shiftKey: false })).toBe('Space');
  });

  it('lets a site profile override the guesses: selectors, state and keys', async () => {
    document.body.innerHTML = `<div id="go" data-x="1"></div><div id="transport" data-mode="rolling"></div>`;
    const a = new DawAdapter(document, {
      timing,
      profile: {
        match: 'http://x',
        selectors: { play: '#go' },
        state: { playing: { selector: '#transport', attribute: 'data-mode', value: 'rolling' } },
        keys: { stop: 'Shift+S' },
      },
    });
    expect(a.observe().playing).toBe(true);
    const keys: string[] = [];
    window.addEventListener('keydown', (e) => {
      keys.push(`${e.shiftKey ? 'Shift+' : ''}${e.key}`);
      $('#transport').setAttribute('data-mode', 'idle');
    });
    expect(await a.execute({ action: 'stop' })).toMatchObject({ ok: true, observed: { playing: false } });
    expect(keys).toEqual(['Shift+S']);
  });

  it('parses key specs and picks the user profile over a built-in one, or a built-in one by page title', () => {
    expect(parseKey('Space')).toMatchObject({ key: ' ', code: 'Space', keyCode: 32 });
    expect(parseKey('Ctrl+L')).toMatchObject({ key: 'l', code: 'KeyL', ctrlKey: true });
    const user = [{ match: 'https://www.bandlab.com', name: 'mine' }];
    expect(profileFor('https://www.bandlab.com', user)?.name).toBe('mine');
    expect(profileFor('https://www.bandlab.com', [])?.name).toBe('BandLab Studio');
    expect(profileFor('https://a.example.com', [{ match: 'https://*.example.com', name: 'wild' }])?.name).toBe('wild');
    expect(profileFor('http://127.0.0.1:8080', [], undefined, 'BassoonTracker')?.keys).toEqual({ playpause: 'Enter' });
  });
});

describe('cost: no page-wide scans on every mutation', () => {
  it("watches only the chosen controls: other changes in the page cause no search, a control's own change is reported", async () => {
    const reports: unknown[] = [];
    const rows = Array.from({ length: 50 }, (_, i) => `<tr><th class="row">${i}</th></tr>`).join('');
    const a = page(`<button aria-label="Play" aria-pressed="false"></button><table>${rows}</table>`, {
      onChange: (r) => reports.push(r),
      debounceMs: 5,
    });
    a.start();
    const scans = vi.spyOn(document, 'querySelectorAll');
    for (let i = 0; i < 20; i++) {
      document.querySelectorAll('th')[i % 50]!.classList.toggle('playpos');
      await sleep(2);
    }
    await sleep(30);
    const searches = scans.mock.calls.filter(([selector]) => /button/.test(selector)).length;
    $('button').setAttribute('aria-pressed', 'true');
    await sleep(40);
    a.stop();
    expect(searches).toBe(0);
    expect(reports).toEqual([expect.objectContaining({ playing: true })]);
  });

  it('searches again at a command whose control was not there at the first search (an image still loading)', async () => {
    const a = page(`<button id="play" class="playing" aria-label="Play">▶</button>`, { debounceMs: 5 });
    a.start();
    document.body.insertAdjacentHTML('beforeend', '<img id="stop" src="images/btn_stop.png">');
    onDown('#stop', () => $('#play').classList.remove('playing'));
    expect(await a.execute({ action: 'stop' })).toMatchObject({
      ok: true,
      via: 'button',
      observed: { playing: false },
    });
    a.stop();
  });

  it('searches again when a chosen control leaves the page (an app re-rendering its toolbar)', async () => {
    const a = page(`<div id="bar"><button id="old" aria-label="Play" aria-pressed="false"></button></div>`, {
      debounceMs: 5,
    });
    a.start();
    expect(a.find().play?.id).toBe('old');
    $('#bar').innerHTML = `<button id="new" aria-label="Play" aria-pressed="true"></button>`;
    await sleep(300);
    expect(a.observe().playing).toBe(true);
    a.stop();
  });

  it('reports a re-rendered toolbar by itself (its sweep), and finds controls that appear in a page that had none', async () => {
    const reports: DawReport[] = [];
    const a = page(`<div id="bar"><button id="old" aria-label="Play" aria-pressed="false"></button></div>`, {
      debounceMs: 5,
      onChange: (r) => reports.push(r),
    });
    a.start();
    $('#bar').innerHTML = `<button id="new" aria-label="Play" aria-pressed="true"></button>`;
    await sleep(120);
    expect(reports.at(-1)?.playing).toBe(true);
    a.stop();
    document.body.innerHTML = '<canvas></canvas>';
    const b = page('<canvas></canvas>', { debounceMs: 5, onChange: (r) => reports.push(r) });
    b.start();
    expect(b.controls()).not.toContain('play');
    document.body.insertAdjacentHTML('beforeend', '<button aria-label="Play" aria-pressed="true">▶</button>');
    await sleep(150);
    expect(b.controls()).toContain('play');
    expect(reports.at(-1)?.playing).toBe(true);
    b.stop();
  });
});

describe('apps that swap their controls', () => {
  it('reads playing from which of play and stop is shown (MIDIDrums hides play and shows stop while it plays)', async () => {
    const a = page(
      `<div><img id="play" src="images/btn_play.png"><img id="stop" src="images/btn_stop.png" style="display:none"></div>`,
      { debounceMs: 5 },
    );
    a.start();
    expect(a.find()).toMatchObject({ play: $('#play'), stop: $('#stop') });
    expect(a.observe().playing).toBe(false);
    onDown('#play', () => {
      ($('#play') as HTMLElement).style.display = 'none';
      ($('#stop') as HTMLElement).style.display = '';
    });
    onDown('#stop', () => {
      ($('#play') as HTMLElement).style.display = '';
      ($('#stop') as HTMLElement).style.display = 'none';
    });
    expect(await a.execute({ action: 'play' })).toMatchObject({ ok: true, observed: { playing: true } });
    expect(await a.execute({ action: 'stop' })).toMatchObject({ ok: true, observed: { playing: false } });
    a.stop();
  });
});

describe('the audio hook, needed only where the page does not show the play state', () => {
  it('tells the hook to rest while its controls show the state, and to listen when they stop showing it', () => {
    const needed: boolean[] = [];
    const a = page(`<button aria-label="Play" aria-pressed="false">▶</button>`, {
      onAudioNeeded: (n) => needed.push(n),
    });
    a.check();
    expect(needed).toEqual([false]);
    document.querySelector('button')!.removeAttribute('aria-pressed');
    a.check();
    expect(needed).toEqual([false, true]);
    // A pause icon in place of the play icon shows "playing", but once swapped back it shows nothing: no rest.
    const b = page(`<button aria-label="Pause">❚❚</button>`, { onAudioNeeded: (n) => needed.push(n) });
    expect(b.check().playing).toBe(true);
    expect(needed.at(-1)).toBe(true);
  });

  it('does not take what the hook said before it rested for the truth when the controls stop showing the state', () => {
    const a = page(`<button aria-label="Play">▶</button><div id="app" data-playing="true"></div>`);
    a.noteUserGesture();
    a.setAudio({ playing: true, contexts: 1 });
    expect(a.check().playing).toBe(true); // the app's data-playing tells: the hook rests from here
    document.getElementById('app')!.remove(); // the app re-rendered without it: nothing in the page tells any more
    expect(a.check().playing).toBeUndefined();
    a.setAudio({ playing: false, contexts: 1 }); // the hook, awake again, hears silence
    expect(a.check().playing).toBe(false);
  });
});

describe("the page's own clock", () => {
  it('is reported while the DAW stands still (a Stop back to the start, a seek), not while it plays', () => {
    expect([parseClock('0:07.1'), parseClock('1:02:03'), parseClock('4.3.237'), parseClock('12:5')]).toEqual([
      7.1,
      3723,
      undefined,
      undefined,
    ]);
    const a = page(
      `<button aria-label="Play" aria-pressed="false">▶</button><span class="lcd"><span id="bars">4.3.1</span> · <span id="time">0:07.1</span></span>`,
    );
    expect(a.observe().position_seconds).toBe(7.1);
    document.getElementById('time')!.textContent = '0:00.0';
    expect(a.observe().position_seconds).toBe(0);
    document.querySelector('button')!.setAttribute('aria-pressed', 'true');
    expect(a.check().position_seconds).toBe(0); // the start, from where its clock stands
    expect(a.observe().position_seconds).toBeUndefined(); // then the server's clock runs
  });

  it('a Stop in the DAW that only moves its clock back to 0:00 is reported (the readout alone is watched)', async () => {
    const reports: DawReport[] = [];
    const a = page(`<button aria-label="Play" aria-pressed="false">▶</button><span id="time">0:07.1</span>`, {
      onChange: (r) => reports.push(r),
      debounceMs: 5,
    });
    a.start();
    document.getElementById('time')!.textContent = '0:00.0';
    await sleep(60);
    expect(reports.at(-1)?.position_seconds).toBe(0);
    a.stop();
  });

  it('while it plays, a seek in its clock is reported, its ticking is not; a Stop back to 0:00 is', async () => {
    const reports: DawReport[] = [];
    const a = page(`<button aria-label="Play" aria-pressed="false">▶</button><span id="time">0:12.0</span>`, {
      onChange: (r) => reports.push(r),
      debounceMs: 5,
    });
    a.start();
    const time = document.getElementById('time')!;
    const button = document.querySelector('button')!;
    button.setAttribute('aria-pressed', 'true');
    await sleep(40);
    expect(reports.at(-1)).toMatchObject({ playing: true, position_seconds: 12 }); // where it started
    const before = reports.length;
    for (let i = 1; i <= 5; i++) {
      await sleep(100);
      time.textContent = `0:12.${i}`; // ticking in real time
    }
    await sleep(40);
    expect(reports.slice(before).filter((r) => r.position_seconds !== undefined)).toEqual([]);
    time.textContent = '1:05.0'; // the musician moved the playhead
    await sleep(40);
    expect(reports.slice(before).map((r) => r.position_seconds)).toContain(65);
    button.setAttribute('aria-pressed', 'false');
    time.textContent = '0:00.0';
    await sleep(40);
    expect(reports.at(-1)).toMatchObject({ playing: false, position_seconds: 0 });
    a.stop();
  });
});
