import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../paths';
import { startBare, startCodette } from './processes';
import { load } from './http-load';
import { measureBroadcast } from './ws-broadcast';
import { chatLoad, firstDeltaLatency, pacedChat } from './chat-load';
import { meterCpuShare, wholeFileRealtime } from '../../shared/dsp/bench';
import { normalNoise } from '../../shared/dsp/test/synth';
import { DSP_FLOORS } from './dsp-floors';

/**
 * `npm run bench [-- --quick] [--out FILE]`: measures Codette against a bare node:http server in the same run,
 * so that every throughput is also a ratio that does not drift with the machine.
 */
const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, out: { type: 'string' }, clients: { type: 'string' } },
});
const quick = values.quick ?? false;
const seconds = quick ? 3 : 8;
const rounds = quick ? 1 : 3;
const wsClients = Number(values.clients ?? 1000);

execFileSync(process.execPath, ['server/scripts/build.mjs'], { cwd: PROJECT_ROOT, stdio: 'ignore' });

const results: Record<string, number | string> = {};
const bare = await startBare();
const codette = await startCodette();
try {
  await new Promise((r) => setTimeout(r, 1000));
  results.rss_idle_mb = Math.round(codette.rssMb() * 10) / 10;
  // Warm both, then alternate so that drift hits both sides alike; keep the best round of each.
  await load(`${bare.url}/health`, { seconds: 1 });
  await load(`${codette.url}/health`, { seconds: 1 });
  let bareBest = 0;
  let healthBest = 0;
  let healthP99 = 0;
  let bareCpu = 0;
  let healthCpu = 0;
  let bareCount = 0;
  let healthCount = 0;
  for (let i = 0; i < rounds; i++) {
    const cpu0 = bare.cpuSeconds();
    const b = await load(`${bare.url}/health`, { seconds });
    bareCpu += bare.cpuSeconds() - cpu0;
    bareCount += b.rps * seconds;
    bareBest = Math.max(bareBest, b.rps);
    const cpu1 = codette.cpuSeconds();
    const h = await load(`${codette.url}/health`, { seconds });
    healthCpu += codette.cpuSeconds() - cpu1;
    healthCount += h.rps * seconds;
    if (h.rps > healthBest) {
      healthBest = h.rps;
      healthP99 = h.p99_ms;
    }
  }
  results.bare_node_rps = bareBest;
  results.health_rps = healthBest;
  results.health_p99_ms = healthP99;
  results.health_vs_bare_ratio = Math.round((healthBest / bareBest) * 1000) / 1000;
  // CPU spent per request by each server: steadier than throughput when other work shares the machine.
  results.bare_cpu_us_per_req = Math.round((bareCpu / bareCount) * 1e7) / 10;
  results.health_cpu_us_per_req = Math.round((healthCpu / healthCount) * 1e7) / 10;
  results.health_vs_bare_cpu_ratio = Math.round((bareCpu / bareCount / (healthCpu / healthCount)) * 1000) / 1000;

  const ratio = (rps: number) => Math.round((rps / bareBest) * 1000) / 1000;
  // /health is answered before h3's router; a GET that goes through it (the transport state) shows the router's cost.
  let routedBest = 0;
  for (let i = 0; i < rounds; i++)
    routedBest = Math.max(routedBest, (await load(`${codette.url}/codette/status`, { seconds })).rps);
  results.routed_get_rps = routedBest;
  results.routed_get_vs_bare_ratio = ratio(routedBest);
  await chatLoad(codette.url, { seconds: 1, cached: false });
  // The steady 200 requests/s first: the saturation run after it leaves a bigger database and a busy heap behind.
  const chatAt200 = await pacedChat(codette.url, 200, seconds);
  results.chat_p50_ms_at_200_rps = chatAt200.p50_ms;
  results.chat_p99_ms_at_200_rps = chatAt200.p99_ms;
  // Throughput and its p99 in the same run: 8 clients, each sending its next question when the answer arrives.
  const chat = await chatLoad(codette.url, { seconds, cached: false, connections: 8 });
  results.chat_rps = chat.rps;
  results.chat_p99_ms = chat.p99_ms;
  results.chat_vs_bare_ratio = ratio(chat.rps);
  // Saturation: 20 clients queue behind each other; more throughput, a longer tail.
  const chatMax = await chatLoad(codette.url, { seconds, cached: false, connections: 20 });
  results.chat_rps_20_clients = chatMax.rps;
  results.chat_p99_ms_20_clients = chatMax.p99_ms;
  results.chat_errors = chat.errors + chatMax.errors + chatAt200.errors;
  const cached = await chatLoad(codette.url, { seconds, cached: true });
  results.chat_cached_rps = cached.rps;
  results.chat_cached_vs_bare_ratio = ratio(cached.rps);
  const firstDelta = await firstDeltaLatency(codette.url, quick ? 200 : 1000);
  results.ws_first_delta_p50_ms = firstDelta.p50_ms;
  results.ws_first_delta_p99_ms = firstDelta.p99_ms;

  const broadcast = await measureBroadcast(codette.url, wsClients, quick ? 20 : 100, () => {
    results.rss_loaded_mb = Math.round(codette.rssMb() * 10) / 10;
  });
  results.ws_clients = broadcast.result.connected;
  results.ws_broadcast_p50_ms = broadcast.result.p50_ms;
  results.ws_broadcast_p99_ms = broadcast.result.p99_ms;
  // The server's own share: time to hand each broadcast to every socket (the rest is the kernel and the clients).
  const perf = (await (await fetch(`${codette.url}/api/diagnostics/performance`)).json()) as {
    websocket: { broadcast_ms: { p50: number; p99: number } };
  };
  results.ws_server_fanout_p50_ms = perf.websocket.broadcast_ms.p50;
  results.ws_server_fanout_p99_ms = perf.websocket.broadcast_ms.p99;
  broadcast.close();
} finally {
  await Promise.all([bare.stop(), codette.stop()]);
}

// DSP: whole-file analysis of 3 minutes of 48 kHz stereo (true peak included), and the live meter's CPU share.
const dspSeconds = quick ? 60 : 180;
const noise = [normalNoise(48000 * dspSeconds, 1, 0.1), normalNoise(48000 * dspSeconds, 2, 0.1)];
results.dsp_x_realtime = Math.round(wholeFileRealtime(noise, quick ? 1 : 3));
results.dsp_live_meter_cpu_percent =
  Math.round(meterCpuShare(noise.map((c) => c.subarray(0, 48000 * 30))) * 10000) / 100;
// The floors the unit tests used to assert with a wall clock (server/bench/dsp-floors.ts).
results.dsp_floors =
  results.dsp_x_realtime > DSP_FLOORS.wholeFileXRealtime &&
  results.dsp_live_meter_cpu_percent < DSP_FLOORS.meterCpuShare * 100
    ? 'ok'
    : 'BELOW A FLOOR';

results.machine = `${process.platform}-${process.arch} node ${process.version}`;
results.mode = quick ? 'quick' : 'full';
const width = Math.max(...Object.keys(results).map((k) => k.length));
console.log('\nCodette benchmark (same run, same machine)\n');
for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(width)}  ${v}`);
if (values.out) {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwritten to ${values.out}`);
}
