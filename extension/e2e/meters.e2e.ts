import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  launchChromium,
  serveFixtures,
  ServerProcess,
  sleep,
  type ChromeSession,
  until,
  openConnectedPanel,
} from './harness';
import { allowSiteInPanel } from './site-permission';

/**
 * Live meters in real Chromium: the fixture DAW plays a stereo 1 kHz sine through Web Audio; the extension captures
 * the tab (tabCapture -> offscreen document -> AudioWorklet) and the side panel (opened as a tab) shows the figures.
 *
 * The browser runs without puppeteer's headless default `--mute-audio`: with it, the captured tab is muted and its
 * capture is pure digital silence (every level null), so the figures could not be checked. Without it, headless
 * Chromium renders the tab's audio (no sound card, no PulseAudio needed here) and the capture carries the real tone.
 *
 * The user gesture Chrome asks for: `Extensions.triggerAction` on the DAW tab is the toolbar-button click (it grants
 * activeTab / tab capture for that tab, like a real click); the panel's Start button is then clicked with a real
 * (CDP input) mouse click, inside which the panel asks for the stream id.
 */
let session: ChromeSession;
let server: ServerProcess;
let fixtures: Awaited<ReturnType<typeof serveFixtures>>;
let panel: Page;
let daw: Page;

const num = (p: Page, testid: string, attr = 'data-value') =>
  p
    .$eval(`[data-testid=${testid}]`, (el, a) => el.getAttribute(a) ?? '', attr)
    .then((v) => (v === '' ? null : Number(v)));
/** A readout as the panel prints it ("-20.0 LUFS"; "–" for no value), as a number or null. */
const shown = (p: Page, testid: string) =>
  p
    .$eval(`[data-testid=${testid}]`, (el) => el.firstChild?.textContent?.trim() ?? '')
    .then((v) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : null));
/** What the panel shows now: momentary and short-term LUFS (printed), true-peak hold dBTP. */
const readouts = async (p: Page) => ({
  momentary: await shown(p, 'm-momentary'),
  short: await shown(p, 'm-short'),
  truePeak: await num(p, 'm-truepeak'),
});
/** utime + stime (clock ticks) of every thread of the browser's process tree, by "pid/tid name". */
function threadTicks(rootPid: number): Map<string, { pid: number; cmd: string; name: string; ticks: number }> {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  const out = new Map<string, { pid: number; cmd: string; name: string; ticks: number }>();
  for (const pid of tree) {
    try {
      // Chromium rewrites its children's argv (one space-joined string): read the flags with patterns.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const type = /--type=(\S+)/.exec(cmdline)?.[1] ?? 'browser';
      const sub =
        /--utility-sub-type=(\S+)/.exec(cmdline)?.[1] ?? (cmdline.includes('--extension-process') ? 'extension' : '');
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(`${pid}/${tid}`, {
          pid,
          cmd: `${type}${sub ? ':' + sub : ''}`,
          name,
          ticks: Number(f[11]) + Number(f[12]),
        });
      }
    } catch {
      /* gone */
    }
  }
  return out;
}

/** CPU share of one core per thread and per process over `ms`. */
async function cpuOver(rootPid: number, ms: number) {
  const a = threadTicks(rootPid);
  const t0 = performance.now();
  await sleep(ms);
  const b = threadTicks(rootPid);
  const seconds = (performance.now() - t0) / 1000;
  const hz = 100; // USER_HZ on Linux
  const threads: { key: string; pid: number; cmd: string; name: string; share: number }[] = [];
  for (const [key, v] of b) {
    const before = a.get(key)?.ticks ?? 0;
    threads.push({ key, pid: v.pid, cmd: v.cmd, name: v.name, share: (v.ticks - before) / hz / seconds });
  }
  const processes = new Map<number, { cmd: string; share: number }>();
  for (const t of threads) {
    const p = processes.get(t.pid) ?? { cmd: t.cmd, share: 0 };
    p.share += t.share;
    processes.set(t.pid, p);
  }
  return { threads, processes };
}

beforeAll(async () => {
  fixtures = await serveFixtures();
  server = new ServerProcess(await freePort());
  await server.start();
  session = await launchChromium({ audible: true });
  panel = await openConnectedPanel(session, server.url);
  daw = await session.browser.newPage();
  await daw.goto(`${fixtures.url}/meters-tone.html`);
  await daw.bringToFront();
  // Codette acts only on sites the user enabled: answered in the panel as a user would.
  await allowSiteInPanel(panel, fixtures.url);
  await panel.waitForFunction(
    () => document.querySelector('[data-testid=daw-site]')?.textContent?.includes('Tone DAW') ?? false,
    { timeout: 10_000, polling: 100 },
  );
  // The meters start folded to a strip: unfold them to read every figure.
  await panel.$eval('[data-testid=meters-toggle]', (el) => (el as HTMLElement).click());
  await panel.waitForSelector('[data-testid=m-momentary]');
});

afterAll(async () => {
  await session?.browser.close().catch(() => undefined);
  await server?.kill();
  await fixtures?.close();
});

describe('Chromium: live meters of the DAW tab (tabCapture -> offscreen AudioWorklet -> side panel)', () => {
  it('without the toolbar invocation Chrome refuses the capture, and the panel says what to do', async () => {
    await panel.bringToFront(); // a background tab does not render, and a click waits for it
    await panel.click('[data-testid=meters-start]');
    await panel.waitForSelector('[data-testid=meters-error][data-code=not_invoked]', { timeout: 10_000 });
  });

  it('after the toolbar click on the DAW tab: the capture starts in the offscreen document and its AudioWorklet snapshots reach the panel ten times a second', async () => {
    const extension = (await session.browser.extensions()).get(session.extensionId);
    if (!extension) throw new Error('extension not found');
    await daw.bringToFront();
    await daw.triggerExtensionAction(extension);
    await panel.bringToFront();
    await panel.click('[data-testid=meters-start]');
    const state = await until(
      () =>
        panel.$eval('[data-testid=meters]', (el) =>
          ['running', 'error'].includes(el.getAttribute('data-state') ?? '')
            ? `${el.getAttribute('data-state')}: ${el.querySelector('[data-testid=meters-error]')?.textContent ?? ''}`
            : null,
        ),
      10_000,
      'the meters to run',
    );
    expect(state).toBe('running: ');
    await daw.bringToFront();
    await daw.$eval('#play', (el) => (el as HTMLElement).click());
    // What the offscreen worklet publishes, as the panel receives it (schema-valid: the panel's store parses them).
    const got = await panel.evaluate(
      () =>
        new Promise<{
          n: number;
          last: { seq: number; sample_rate: number; channels: number; bands: unknown[] } | null;
        }>((resolve) => {
          const c = new BroadcastChannel('codette-meters');
          const seen: {
            type: string;
            snapshot?: { seq: number; sample_rate: number; channels: number; bands: unknown[] };
          }[] = [];
          c.onmessage = (e) => seen.push(e.data);
          setTimeout(() => {
            c.close();
            const snaps = seen.filter((m) => m.type === 'meters_snapshot');
            resolve({ n: snaps.length, last: snaps.at(-1)?.snapshot ?? null });
          }, 2_000);
        }),
    );
    console.log(`[measure] snapshots in 2 s: ${got.n}; last: ${JSON.stringify(got.last).slice(0, 300)}`);
    expect(got.n).toBeGreaterThanOrEqual(15);
    expect(got.n).toBeLessThanOrEqual(25);
    expect(got.last?.channels).toBe(2);
    expect(got.last?.bands).toHaveLength(28);
  });

  it('measures its own CPU while metering (offscreen AudioWorklet thread and the extension process)', async () => {
    const pid = session.browser.process()?.pid;
    if (!pid) throw new Error('no browser pid');
    const { threads, processes } = await cpuOver(pid, 5_000);
    const worklet = threads
      .filter((t) => /AudioW|worklet/i.test(t.name) && t.cmd === 'renderer:extension')
      .sort((a, b) => b.share - a.share);
    const ext = [...processes.entries()].filter(([, p]) => p.cmd === 'renderer:extension');
    const top = threads.sort((a, b) => b.share - a.share).slice(0, 8);
    console.log(
      `[measure] busiest threads: ${top.map((t) => `${t.cmd} ${t.name} ${(t.share * 100).toFixed(1)}%`).join(' | ')}`,
    );
    console.log(
      `[measure] worklet threads: ${worklet.map((t) => `${t.cmd} ${t.name} ${(t.share * 100).toFixed(2)}%`).join(' | ')}`,
    );
    console.log(
      `[measure] extension renderer processes: ${ext.map(([pid, p]) => `${pid} ${(p.share * 100).toFixed(1)}%`).join(' | ')}`,
    );
    for (const [p, v] of processes) console.log(`[measure] process ${p} ${v.cmd}: ${(v.share * 100).toFixed(1)}%`);
    expect(worklet.length).toBeGreaterThan(0);
    expect(worklet[0]!.share).toBeLessThan(0.05);
  });

  it('the captured tone reads at its known level in the panel: -20 dBFS -> -20.0 LUFS and -20.0 dBTP, then -30 at -30 dBFS; silence reads none', async () => {
    // The tone: a 1 kHz sine of peak amplitude A in both channels. BS.1770 sums the channels' K-weighted mean squares
    // (A²/2 each; the K filter's +0.691 dB at 1 kHz is what the -0.691 offset cancels): L = 10·log10(A²) = 20·log10(A),
    // so the sine's peak level in dBFS (EBU Tech 3341 case 1: -23 dBFS reads -23.0 LUFS). Its true peak is A itself.
    // Tolerances: Tech 3341's ±0.1 LU for momentary/short-term (the panel prints one decimal, which stays inside it),
    // and its +0.2/-0.4 dB for true peak.
    const near = (v: number | null, want: number, below = 0.1, above = 0.1) =>
      v !== null && v >= want - below && v <= want + above;
    const settled = async (db: number, peak: number, what: string) => {
      const seen: Awaited<ReturnType<typeof readouts>>[] = [];
      for (let i = 0; i < 5; i++) {
        seen.push(await readouts(panel));
        await sleep(200);
      }
      console.log(
        `[measure] ${what}: ${seen.map((r) => `M ${r.momentary} S ${r.short} TP ${r.truePeak}`).join(' | ')}`,
      );
      for (const r of seen) {
        expect(near(r.momentary, db), `momentary ${r.momentary} vs ${db}`).toBe(true);
        expect(near(r.short, db), `short-term ${r.short} vs ${db}`).toBe(true);
        expect(near(r.truePeak, peak, 0.4, 0.2), `true peak ${r.truePeak} vs ${peak}`).toBe(true);
      }
    };
    expect(
      await daw.evaluate(() => (window as unknown as { __fixture: { playing: boolean; db: number } }).__fixture),
    ).toEqual({ playing: true, db: -20 });
    // Short-term needs 3 s of the tone since the reset that playback started.
    await until(async () => (await readouts(panel)).short !== null, 10_000, 'a short-term reading');
    await settled(-20, -20, 'tone at -20 dBFS');

    await daw.evaluate(() => (window as unknown as { __tone: { setDb(db: number): void } }).__tone.setDb(-30));
    await sleep(3_500); // the short-term window (3 s) holds only the new level
    // The true-peak hold keeps the -20 dBTP of before, until a reset.
    await settled(-30, -20, 'tone at -30 dBFS, hold from before');
    await panel.$eval('[data-testid=meters-reset]', (el) => (el as HTMLElement).click());
    // The first snapshots after the reset: the hold restarts at the tone's true peak, not above it.
    const held = await until(async () => num(panel, 'm-truepeak'), 5_000, 'a true-peak hold after the reset');
    console.log(`[measure] true-peak hold right after Reset, tone at -30 dBFS: ${held} dBTP`);
    expect(near(held, -30, 0.4, 0.2), `hold after reset ${held}`).toBe(true);

    await daw.$eval('#stop', (el) => (el as HTMLElement).click());
    await until(
      async () => (await readouts(panel)).momentary === null,
      3_000,
      'the momentary reading to fall to none (silence)',
    );
  });

  it('Stop meters returns the panel to idle, without an error, and it stays so', async () => {
    await panel.$eval('[data-testid=meters-stop]', (el) => (el as HTMLElement).click());
    await sleep(1_000); // the offscreen document's last words (status, snapshots in flight) arrive after the click
    const after = await panel.$eval('[data-testid=meters]', (el) => ({
      state: el.getAttribute('data-state'),
      error: el.querySelector('[data-testid=meters-error]')?.textContent ?? null,
    }));
    expect(after).toEqual({ state: 'idle', error: null });
    expect(await panel.$('[data-testid=meters-start]')).not.toBeNull();
  });
});
