import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer, { type Browser } from 'puppeteer';
import {
  CHROME_BUILD,
  CHROMIUM_ARGS,
  freePort,
  launchChromium,
  REAL_DAWS,
  type RealDaw,
  serveFixtures,
  ServerProcess,
  setServerUrl,
  sleep,
  until,
} from '../../extension/e2e/harness';
import { allowSiteInPanel } from '../../extension/e2e/site-permission';

/**
 * What Codette costs a DAW tab: `npx tsx server/bench/daw-overhead.ts [--seconds 20] [--rounds 3] [--only SoundBox]
 * [--profile]`.
 * Needs the built extension and server (`npm run build && node server/scripts/build.mjs`), and starts browsers and a
 * server on loopback ports (run it in a network namespace on a shared machine).
 *
 * For each real DAW fixture (extension/e2e/fixtures/real/), in one run: the DAW plays for N seconds in Chromium with
 * the built extension (the site enabled, the real server connected) and in the same Chromium without it, alternating
 * which goes first, `rounds` times. The page's main-thread time comes from the DevTools protocol (page.metrics():
 * TaskDuration, ScriptDuration, wall time) and, as CPU time, from the Performance domain in thread ticks (TaskDuration
 * again: the main thread's own CPU time in tasks, which a busy machine does not inflate by making it wait for a core);
 * the ratios with/without are of the medians. The machine's load drifts, both sides drift alike: the ratio is what to
 * read, not the milliseconds.
 *
 * Then one traced run per fixture with the extension (DevTools timeline trace of the same N seconds): the main-thread
 * tasks of the DAW's renderer that lasted 50 ms or more, those in which a script of the extension ran at all, those in
 * which the extension's own code took 50 ms or more (the long tasks it caused), and the extension's script time
 * (top-level function calls, timers and event handlers whose script is a chrome-extension:// URL).
 *
 * `--profile`: the traced run also samples the page's CPU (DevTools profiler, every 100 µs) and prints the extension's
 * functions by their own time, with the samples whose stack holds any extension frame: where its cost comes from.
 */

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    only: { type: 'string' },
    profile: { type: 'boolean' },
  },
});
const SECONDS = Number(values.seconds ?? 20);
const ROUNDS = Number(values.rounds ?? 3);
const daws = REAL_DAWS.filter((d) => !values.only || d.name.toLowerCase().includes(values.only.toLowerCase()));

if (!existsSync(join(CHROME_BUILD, 'manifest.json')))
  throw new Error('no built extension: run npm run build && node server/scripts/build.mjs first');

interface Window_ {
  taskMs: number;
  scriptMs: number;
  /** The main thread's CPU time in tasks (thread ticks): what waiting for a core under load does not inflate. */
  cpuMs: number;
}

/** Opens the DAW as a musician would, lets it play, and measures `SECONDS` of its playing in the page. */
async function playWindow(
  browser: Browser,
  daw: RealDaw,
  url: string,
  traced: boolean,
): Promise<{ window: Window_; trace: TraceFacts | null; profile: string[] }> {
  const page = await browser.newPage();
  try {
    await daw.open(page, url);
    await page.bringToFront();
    await sleep(1_500); // the content scripts start and connect
    await daw.userPlay(page);
    await until(() => daw.playing(page), 20_000, `${daw.name} to play`);
    await sleep(1_000);
    if (traced)
      await page.tracing.start({
        categories: ['devtools.timeline', 'toplevel', 'disabled-by-default-devtools.timeline'],
      });
    const cdp = traced && values.profile ? await page.createCDPSession() : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const perf = await page.createCDPSession();
    await perf.send('Performance.enable', { timeDomain: 'threadTicks' });
    const cpu = async () =>
      (await perf.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
    const m0 = await page.metrics();
    const c0 = await cpu();
    await sleep(SECONDS * 1000);
    const m1 = await page.metrics();
    const c1 = await cpu();
    const profile = cdp ? extensionFunctions((await cdp.send('Profiler.stop')).profile) : [];
    const trace = traced
      ? analyseTrace(
          JSON.parse(Buffer.from((await page.tracing.stop())!).toString('utf8')) as { traceEvents: TraceEvent[] },
          new URL(url).origin,
        )
      : null;
    if (!(await daw.playing(page))) throw new Error(`${daw.name} stopped playing during the measurement`);
    await daw.userStop(page);
    return {
      window: {
        taskMs: ((m1.TaskDuration ?? 0) - (m0.TaskDuration ?? 0)) * 1000,
        scriptMs: ((m1.ScriptDuration ?? 0) - (m0.ScriptDuration ?? 0)) * 1000,
        cpuMs: (c1 - c0) * 1000,
      },
      trace,
      profile,
    };
  } finally {
    await page.close().catch(() => undefined);
  }
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The extension's functions in a CPU profile by their own time (ms), and the time of stacks holding any of them. */
function extensionFunctions(profile: CpuProfile): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const isExt = (id: number) => /^(chrome|moz)-extension:/.test(byId.get(id)!.callFrame.url);
  const underExt = new Map<number, boolean>();
  const hasExt = (id: number): boolean => {
    let v = underExt.get(id);
    if (v === undefined) {
      const up = parent.get(id);
      v = isExt(id) || (up !== undefined && hasExt(up));
      underExt.set(id, v);
    }
    return v;
  };
  const self = new Map<string, number>();
  let inclusiveUs = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!;
    const us = deltas[i + 1] ?? 0; // a sample lasts until the next one
    if (hasExt(id)) inclusiveUs += us;
    // The time of a native call made from extension code (getFloatTimeDomainData, querySelectorAll) is its caller's.
    let at: number | undefined = id;
    while (at !== undefined && !isExt(at) && byId.get(at)!.callFrame.url === '') at = parent.get(at);
    if (at === undefined || !isExt(at)) continue;
    const f = byId.get(at)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
  }
  const lines = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([k, us]) => `  ${(us / 1000).toFixed(1)} ms  ${k}`);
  return [`  ${(inclusiveUs / 1000).toFixed(1)} ms in stacks with extension code (incl. what it calls)`, ...lines];
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; frames?: { url?: string; processId?: number }[] } };
}
interface TraceFacts {
  longTasks: number;
  /** Long tasks in which some extension code ran (the DAW's own work may be most of the task). */
  longTasksWithExtension: number;
  /** Long tasks of which the extension's own code took 50 ms or more: the ones it caused. */
  longTasksByExtension: number;
  /** The most extension code time within one task. */
  maxExtensionMsInTask: number;
  extensionScriptMs: number;
  /** The extension's top-level calls by kind (TimerFire, EventDispatch, FunctionCall...): how often it runs. */
  extensionCalls: Record<string, number>;
}

/** The DAW renderer's main thread in a timeline trace: its long tasks and the extension's share of its script time. */
function analyseTrace(trace: { traceEvents: TraceEvent[] }, origin: string): TraceFacts {
  const ev = trace.traceEvents;
  const started = ev.find((e) => e.name === 'TracingStartedInBrowser');
  const pid = started?.args?.data?.frames?.find((f) => f.url?.startsWith(origin))?.processId;
  const main = ev.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === pid,
  );
  if (pid === undefined || !main) throw new Error('the DAW renderer main thread is not in the trace');
  const onMain = ev.filter((e) => e.pid === pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  const calls = onMain.filter(
    (e) =>
      e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'TimerFire' || e.name === 'EventDispatch',
  );
  const isExt = (e: TraceEvent) => /^(chrome|moz)-extension:/.test(e.args?.data?.url ?? '');
  // Top-level extension calls only (a call nested in another extension call is already counted).
  const topLevel: TraceEvent[] = [];
  let coveredUntil = -1;
  for (const c of calls.filter(isExt).sort((a, b) => a.ts - b.ts)) {
    if (c.ts >= coveredUntil) {
      topLevel.push(c);
      coveredUntil = c.ts + c.dur!;
    }
  }
  const extensionUs = topLevel.reduce((sum, c) => sum + c.dur!, 0);
  let withExt = 0;
  let byExt = 0;
  let maxExtUs = 0;
  for (const t of tasks) {
    const extUs = topLevel.filter((c) => c.ts >= t.ts && c.ts < t.ts + t.dur!).reduce((sum, c) => sum + c.dur!, 0);
    if (extUs === 0) continue;
    maxExtUs = Math.max(maxExtUs, extUs);
    if (t.dur! >= 50_000) withExt++;
    if (extUs >= 50_000) byExt++;
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    longTasks: tasks.filter((t) => t.dur! >= 50_000).length,
    longTasksWithExtension: withExt,
    longTasksByExtension: byExt,
    maxExtensionMsInTask: ms(maxExtUs),
    extensionScriptMs: ms(extensionUs),
    extensionCalls: topLevel.reduce<Record<string, number>>((n, c) => ({ ...n, [c.name]: (n[c.name] ?? 0) + 1 }), {}),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const server = new ServerProcess(await freePort(), { CODETTE_RATE_LIMIT: '0' });
await server.start();
const withExt = await launchChromium();
const without = await puppeteer.launch({
  executablePath: existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium',
  headless: true,
  pipe: true,
  args: CHROMIUM_ARGS,
  userDataDir: mkdtempSync(join(tmpdir(), 'codette-chromium-')),
});
const rows: string[] = [];
try {
  const panel = await withExt.openExtensionPage('sidepanel.html');
  await setServerUrl(panel, server.url);
  await until(async () => (await panel.$('[data-testid=banner]')) === null, 15_000, 'the panel to connect');
  for (const daw of daws) {
    // Each DAW on its own origin, enabled from the panel as a user would.
    const origin = await serveFixtures();
    try {
      const first = await withExt.browser.newPage();
      await daw.open(first, origin.url);
      await first.bringToFront();
      await allowSiteInPanel(panel, origin.url);
      await first.close();
      const samples = { with: [] as Window_[], without: [] as Window_[] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const);
        for (const side of order) {
          const { window } = await playWindow(side === 'with' ? withExt.browser : without, daw, origin.url, false);
          samples[side].push(window);
          console.error(
            `${daw.name} round ${round + 1} ${side}: task ${window.taskMs.toFixed(0)} ms, CPU ${window.cpuMs.toFixed(0)} ms, script ${window.scriptMs.toFixed(0)} ms`,
          );
        }
      }
      const { trace, profile } = await playWindow(withExt.browser, daw, origin.url, true);
      console.error(`${daw.name}: the extension's top-level calls ${JSON.stringify(trace!.extensionCalls)}`);
      if (profile.length) console.error(`${daw.name}: the extension's functions by own time\n${profile.join('\n')}`);
      const taskWith = median(samples.with.map((s) => s.taskMs));
      const taskWithout = median(samples.without.map((s) => s.taskMs));
      const scriptWith = median(samples.with.map((s) => s.scriptMs));
      const scriptWithout = median(samples.without.map((s) => s.scriptMs));
      const cpuWith = median(samples.with.map((s) => s.cpuMs));
      const cpuWithout = median(samples.without.map((s) => s.cpuMs));
      const t = trace!;
      rows.push(
        `| ${daw.name} | ${taskWithout.toFixed(0)} | ${taskWith.toFixed(0)} | ${(taskWith / taskWithout).toFixed(3)} | ${cpuWithout.toFixed(0)} | ${cpuWith.toFixed(0)} | **${(cpuWith / cpuWithout).toFixed(3)}** | ${(scriptWith / scriptWithout).toFixed(3)} | ${t.extensionScriptMs} | ${t.longTasks} | ${t.longTasksWithExtension} | **${t.longTasksByExtension}** (most extension code in one task: ${t.maxExtensionMsInTask} ms) |`,
      );
    } finally {
      await origin.close();
    }
  }
} finally {
  await withExt.browser.close().catch(() => undefined);
  await without.close().catch(() => undefined);
  await server.kill();
}

console.log(
  `\nDAW tab main-thread time over ${SECONDS} s of playback, medians of ${ROUNDS} alternating runs (ms), Chromium headless:\n`,
);
console.log(
  '| fixture | task ms without | with Codette | task ratio | CPU ms without | with Codette | CPU ratio | script ratio | extension script ms (trace) | long tasks >= 50 ms (trace) | with some extension code | caused by the extension (>= 50 ms of its code) |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
