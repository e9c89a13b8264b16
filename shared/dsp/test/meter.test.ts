import { describe, expect, it } from 'vitest';
import { measureLoudness } from '../loudness';
import { LoudnessMeter } from '../meter';
import { truePeak } from '../true-peak';
import { concat, pinkNoise, silence, steppedSine } from './synth';

function feed(meter: LoudnessMeter, channels: Float32Array[], blockSizes: number[], onBlock?: () => void): void {
  let pos = 0;
  let k = 0;
  const n = channels[0]!.length;
  while (pos < n) {
    const size = Math.min(blockSizes[k++ % blockSizes.length]!, n - pos);
    meter.push(
      channels.map((c) => c.subarray(pos, pos + size)),
      size,
    );
    pos += size;
    onBlock?.();
  }
}

describe('LoudnessMeter (streaming)', () => {
  it('reads Tech 3341 case 1 (-23 dBFS stereo sine) in 128-sample blocks', () => {
    const fs = 48000;
    const x = steppedSine(fs, [{ dbfs: -23, seconds: 20 }]);
    const m = new LoudnessMeter(fs, 2);
    let checked = 0;
    feed(m, [x, x], [128], () => {
      if (m.durationSeconds > 3.05) {
        expect(Math.abs(m.momentary - -23)).toBeLessThanOrEqual(0.1);
        expect(Math.abs(m.shortTerm - -23)).toBeLessThanOrEqual(0.1);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(5000);
    expect(Math.abs(m.integrated - -23)).toBeLessThanOrEqual(0.1);
    expect(m.samplePeak).toBeCloseTo(-23, 2);
    expect(m.truePeak).toBeGreaterThanOrEqual(-23.01);
    expect(m.truePeak).toBeLessThan(-22.8);
  });

  it('agrees with the whole-file computation for any block size', () => {
    const fs = 44100;
    const l = concat(pinkNoise(fs * 8, 3, 0.2), steppedSine(fs, [{ dbfs: -30, seconds: 4 }]), silence(fs, 1));
    const r = concat(pinkNoise(fs * 8, 4, 0.1), steppedSine(fs, [{ dbfs: -35, seconds: 4 }]), silence(fs, 1));
    const ref = measureLoudness([l, r], fs);
    const tp = Math.max(truePeak(l), truePeak(r));
    for (const sizes of [[128], [1, 7, 500, 4410, 33], [44100]]) {
      const m = new LoudnessMeter(fs, 2);
      const momentary: number[] = [];
      let lastCount = 0;
      feed(m, [l, r], sizes, () => {
        const count = Math.floor(m.durationSeconds * 10 + 1e-9);
        if (count !== lastCount && count >= 4) momentary.push(m.momentary);
        lastCount = count;
      });
      expect(m.integrated).toBeCloseTo(ref.integratedLufs, 9);
      expect(m.momentaryMaxLufs).toBeCloseTo(ref.momentaryMaxLufs, 9);
      expect(m.shortTermMaxLufs).toBeCloseTo(ref.shortTermMaxLufs, 9);
      expect(Math.abs(m.loudnessRange - ref.rangeLu)).toBeLessThanOrEqual(0.02);
      expect(m.shortTerm).toBeCloseTo(ref.shortTerm[ref.shortTerm.length - 1]!, 6);
      // With large blocks several 100 ms steps pass per push; compare only the last one then.
      if (sizes[0] === 128) {
        expect(momentary.length).toBe(ref.momentary.length);
        momentary.forEach((v, i) => {
          // Below -100 LUFS only filter residue is left (the K-weighting tail in digital silence): compare loosely.
          if (ref.momentary[i]! < -100) expect(v).toBeLessThan(-100);
          else expect(v).toBeCloseTo(ref.momentary[i]!, 6);
        });
      }
      expect(10 ** (m.truePeak / 20)).toBeCloseTo(tp, 9);
    }
  });

  it('gives the Tech 3342 case 4 loudness range (15 LU +/-1) and matches the exact value', () => {
    const fs = 48000;
    const x = steppedSine(
      fs,
      [-50, -35, -20, -35, -50].map((dbfs) => ({ dbfs, seconds: 20 })),
    );
    const m = new LoudnessMeter(fs, 2, { truePeak: false });
    feed(m, [x, x], [4800]);
    expect(Math.abs(m.loudnessRange - 15)).toBeLessThanOrEqual(1);
    expect(Math.abs(m.loudnessRange - measureLoudness([x, x], fs).rangeLu)).toBeLessThanOrEqual(0.02);
    expect(m.truePeak).toBe(-Infinity);
  });

  it('reset() starts over and a missing channel counts as silence', () => {
    const fs = 48000;
    const x = steppedSine(fs, [{ dbfs: -20, seconds: 2 }]);
    const m = new LoudnessMeter(fs, 2);
    feed(m, [x, x], [256]);
    expect(m.integrated).toBeCloseTo(-20, 1);
    m.reset();
    expect(m.integrated).toBe(-Infinity);
    expect(m.momentary).toBe(-Infinity);
    expect(m.durationSeconds).toBe(0);
    feed(m, [x], [256]); // right channel absent: one channel of a -20 dBFS sine = -23 LUFS
    expect(m.integrated).toBeCloseTo(-23.01, 1);
    const reading = m.read();
    expect(reading.truePeakDbtpPerChannel).toHaveLength(2);
    expect(reading.truePeakDbtpPerChannel[1]).toBe(-Infinity);
  });

  it('restart() on a stream that goes on keeps the history: no false true peak, measures start again', () => {
    const rate = 48000;
    // A 1 kHz cosine at -30 dBFS, cut where a crest falls on the restart: the worst case for a zeroed history.
    const amp = 10 ** (-30 / 20);
    const tone = Float32Array.from({ length: rate * 2 }, (_, i) => amp * Math.cos((2 * Math.PI * 1000 * i) / rate));
    const cut = rate;
    const read = (restart: (m: LoudnessMeter) => void) => {
      const m = new LoudnessMeter(rate, 1);
      m.push([tone.subarray(0, cut)]);
      restart(m);
      m.push([tone.subarray(cut)]);
      return m.read();
    };
    const restarted = read((m) => m.restart());
    expect(restarted.truePeakDbtp).toBeCloseTo(-30, 1);
    expect(restarted.integratedLufs).toBeCloseTo(-33.0, 1); // one channel: peak -30 dBFS is -33 dB RMS; K-weighting ~0 dB at 1 kHz
    // reset() starts a new stream: the same samples read as a step from silence, above the real peak.
    expect(read((m) => m.reset()).truePeakDbtp).toBeGreaterThan(-29.5);
  });

  it('restart() after a loud passage holds only what comes after it', () => {
    const rate = 48000;
    const loud = steppedSine(rate, [{ seconds: 1, dbfs: -1 }]);
    const quiet = steppedSine(rate, [{ seconds: 1, dbfs: -30 }]);
    const m = new LoudnessMeter(rate, 1);
    m.push([loud]);
    m.restart();
    m.push([quiet]);
    const r = m.read();
    expect(r.truePeakDbtp).toBeCloseTo(-30, 1);
    expect(r.integratedLufs).toBeCloseTo(-33.0, 1); // the loud second is forgotten
    expect(r.momentaryMaxLufs).toBeLessThan(-32);
  });
});
