/**
 * Numbers for the note: side panel time to first render, and the background's idle CPU while connected.
 * Run: npm run build && npx tsx extension/e2e/measure.ts
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { freePort, launchChromium, ServerProcess, setServerUrl, sleep } from './harness';

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks
}

const server = new ServerProcess(await freePort());
await server.start();
const s = await launchChromium();
try {
  const setup = await s.openExtensionPage('options.html');
  await setServerUrl(setup, server.url);
  await setup.close();
  const renders: number[] = [];
  for (let i = 0; i < 5; i++) {
    const page = await s.browser.newPage();
    await page.goto(`chrome-extension://${s.extensionId}/sidepanel.html`);
    await page.waitForSelector('[data-testid=transport]');
    await sleep(100);
    renders.push(
      await page.evaluate(() => Math.round(performance.getEntriesByName('codette:first-render')[0]?.startTime ?? -1)),
    );
    await page.close();
  }
  console.log(`side panel first render (ms since navigation start): ${renders.join(', ')}`);
  // The extension's service worker runs in the process started with --extension-process.
  await sleep(5000);
  const pids = execSync('pgrep -f -- "--extension-process"')
    .toString()
    .trim()
    .split('\n')
    .map(Number)
    .filter((p) => existsSync(`/proc/${p}/stat`));
  const before = pids.map(cpuTicks);
  const seconds = 60;
  await sleep(seconds * 1000);
  const used = pids.map(cpuTicks).reduce((a, b, i) => a + b - before[i]!, 0);
  const hz = Number(execSync('getconf CLK_TCK').toString());
  console.log(
    `extension process idle CPU over ${seconds} s (connected, no panel open): ${((used / hz) * 1000).toFixed(0)} ms CPU = ${((used / hz / seconds) * 100).toFixed(3)} %`,
  );
} finally {
  await s.browser.close();
  await server.kill();
}
