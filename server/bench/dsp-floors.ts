/**
 * The DSP's speed floors, deliberately far below the measured figures (`npx tsx shared/dsp/bench.ts` prints those):
 * whole-file analysis of 48 kHz stereo noise (true peak included) faster than 100x real time, and the streaming meter
 * (128-sample blocks, stereo, true peak) under 5 % of one core. A benchmark, not a test: wall-clock figures belong on
 * a quiet machine, where `npm run bench` checks them too. `npx tsx server/bench/dsp-floors.ts` exits 1 below a floor.
 */
import { meterCpuShare, wholeFileRealtime } from '../../shared/dsp/bench';
import { normalNoise } from '../../shared/dsp/test/synth';

const RATE = 48000;
export const DSP_FLOORS = { wholeFileXRealtime: 100, meterCpuShare: 0.05 } as const;

export interface DspFloors {
  x_realtime: number;
  meter_cpu_share: number;
  ok: boolean;
}

export function checkDspFloors(seconds = 60): DspFloors {
  const noise = [normalNoise(RATE * seconds, 1, 0.1), normalNoise(RATE * seconds, 2, 0.1)];
  const x = wholeFileRealtime(noise, 2);
  const share = meterCpuShare(
    noise.map((c) => c.subarray(0, RATE * Math.min(20, seconds))),
    128,
    2,
  );
  return {
    x_realtime: Math.round(x),
    meter_cpu_share: Math.round(share * 10000) / 10000,
    ok: x > DSP_FLOORS.wholeFileXRealtime && share < DSP_FLOORS.meterCpuShare,
  };
}

if (process.argv[1] && /dsp-floors\.ts$/.test(process.argv[1])) {
  const r = checkDspFloors();
  console.log(
    `whole-file analysis ${r.x_realtime}x real time (floor ${DSP_FLOORS.wholeFileXRealtime}x), ` +
      `streaming meter ${(r.meter_cpu_share * 100).toFixed(2)} % of one core (floor ${DSP_FLOORS.meterCpuShare * 100} %): ` +
      (r.ok ? 'ok' : 'BELOW A FLOOR'),
  );
  if (!r.ok) process.exitCode = 1;
}
