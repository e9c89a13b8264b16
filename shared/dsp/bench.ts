/**
 * Performance figures for the DSP library. Run: npx tsx shared/dsp/bench.ts [seconds]
 *
 * 1. Whole-file analyzeAudio (everything: loudness, LRA, true peak, levels, spectrum, tempo, key) on 48 kHz stereo
 *    - Gaussian white noise at -20 dBFS RMS (peaks ~ -6 dBFS), the realistic case: the true-peak bound prunes most
 *      of the interpolation;
 *    - full-scale uniform noise, the worst case for true peak: every sample is near the peak, nothing is pruned.
 *    Printed as "x real time" (audio seconds / wall seconds), best of 3 runs.
 * 2. The streaming LoudnessMeter fed 128-sample blocks: CPU share of one core at 48 kHz stereo.
 * Wall-clock timing (performance.now): other load on the machine makes the figures pessimistic, never optimistic.
 */
import { analyzeAudio } from './analyze';
import { LoudnessMeter } from './meter';
import { normalNoise, uniformNoise } from './test/synth';

const fs = 48000;

function bestOf<T>(runs: number, fn: () => T): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export function wholeFileRealtime(channels: Float32Array[], runs = 3): number {
  const seconds = channels[0]!.length / fs;
  analyzeAudio(
    channels.map((c) => c.subarray(0, Math.min(c.length, fs * 5))),
    fs,
  ); // warm-up
  const ms = bestOf(runs, () => analyzeAudio(channels, fs));
  return seconds / (ms / 1000);
}

export function meterCpuShare(channels: Float32Array[], block = 128, runs = 3): number {
  const seconds = channels[0]!.length / fs;
  const meter = new LoudnessMeter(fs, channels.length);
  const views: Float32Array[] = channels.map(() => new Float32Array(0));
  const run = () => {
    meter.reset();
    const n = channels[0]!.length;
    for (let pos = 0; pos + block <= n; pos += block) {
      for (let c = 0; c < channels.length; c++) views[c] = channels[c]!.subarray(pos, pos + block);
      meter.push(views, block);
      if ((pos & 0x1fff) === 0) meter.read(); // a UI reading every ~170 ms
    }
  };
  run();
  const ms = bestOf(runs, run);
  return ms / 1000 / seconds;
}

function main(): void {
  const arg = Number(typeof process !== 'undefined' ? process.argv[2] : NaN);
  const seconds = Number.isFinite(arg) && arg > 0 ? arg : 180;
  const n = fs * seconds;
  const gauss = [normalNoise(n, 1, 0.1), normalNoise(n, 2, 0.1)];
  console.log(`whole-file analyzeAudio, ${seconds} s of 48 kHz stereo, all figures incl. 4x true peak:`);
  const g = wholeFileRealtime(gauss);
  console.log(`  Gaussian noise -20 dBFS RMS : ${g.toFixed(0)}x real time (${((seconds / g) * 1000).toFixed(0)} ms)`);
  const uni = [uniformNoise(n, 3, 1), uniformNoise(n, 4, 1)];
  const u = wholeFileRealtime(uni);
  console.log(`  full-scale uniform (worst)  : ${u.toFixed(0)}x real time (${((seconds / u) * 1000).toFixed(0)} ms)`);
  const span = fs * Math.min(seconds, 60);
  const share = meterCpuShare(gauss.map((c) => c.subarray(0, span)));
  const worst = meterCpuShare(uni.map((c) => c.subarray(0, span)));
  console.log('streaming LoudnessMeter, 128-sample blocks, 48 kHz stereo, true peak on:');
  console.log(`  Gaussian noise -20 dBFS RMS : ${(share * 100).toFixed(2)} % of one core`);
  console.log(`  full-scale uniform (worst)  : ${(worst * 100).toFixed(2)} % of one core`);
}

if (typeof process !== 'undefined' && process.argv[1] && /bench\.ts$/.test(process.argv[1])) main();
