/**
 * Side by side: Codette's whole-file analysis (shared/dsp analyzeAudio, true peak on) against ffmpeg's
 * `ebur128=peak=true` filter, on the same synthesised 3-minute 48 kHz stereo WAV.
 *
 *   npx tsx server/analysis/bench-ffmpeg.ts [seconds]      (ffmpeg: apt-get install -y ffmpeg)
 *
 * The file is music-like: pink noise, a bass pulse and a chord with a slow swell, a quiet breakdown and a loud last
 * section; 32-bit float so no sample is clipped. Timings are wall clock, best of 3, one process each (analyzeAudio is
 * single-threaded; ffmpeg runs with -threads 1 -filter_complex_threads 1). analyzeAudio is timed on decoded samples
 * (what ffmpeg's filter sees) and, separately, with the WAV decode included.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeAudio, decodeWav, encodeWav } from '../../shared/dsp/index';
import { musicLike } from './test/fixtures';

const RATE = 48000;
const RUNS = 3;

function synthesise(seconds: number): Float32Array[] {
  const channels = musicLike(RATE, seconds, -19, 128, 9);
  // Dynamics: a breakdown at -12 dB from 40 % to 55 % of the length, the last quarter 3 dB up.
  const n = channels[0]!.length;
  for (const ch of channels) {
    for (let i = 0; i < n; i++) {
      const f = i / n;
      ch[i] = ch[i]! * (f > 0.4 && f < 0.55 ? 0.25 : f > 0.75 ? 1.41 : 1);
    }
  }
  return channels;
}

function best(fn: () => void): number {
  let ms = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

interface Readings {
  integrated: number | null;
  lra: number | null;
  truePeak: number | null;
}

/** ffmpeg's ebur128 summary: "I: -14.0 LUFS", "LRA: 5.2 LU", and under "True peak:" "Peak: -1.3 dBFS". */
function parseFfmpeg(stderr: string): Readings {
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const num = (re: RegExp) => {
    const m = re.exec(summary);
    return m ? Number(m[1]) : null;
  };
  return {
    integrated: num(/I:\s+(-?[\d.]+|-inf) LUFS/),
    lra: num(/LRA:\s+(-?[\d.]+) LU/),
    truePeak: num(/True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/),
  };
}

function main(): void {
  const arg = Number(process.argv[2]);
  const seconds = Number.isFinite(arg) && arg > 0 ? arg : 180;
  const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
  if (!hasFfmpeg) {
    console.error(
      "ffmpeg is not installed: install it with `apt-get install -y ffmpeg` (Debian) and run again. Codette's own timing follows alone.",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'codette-bench-'));
  try {
    const file = join(dir, 'music.wav');
    writeFileSync(file, encodeWav(synthesise(seconds), RATE, { encoding: 'float32' }));
    const bytes = readFileSync(file);
    const decoded = decodeWav(bytes);
    analyzeAudio(
      decoded.channels.map((c) => c.subarray(0, RATE * 5)),
      RATE,
    ); // warm-up
    let report = analyzeAudio(decoded.channels, RATE, { truePeak: true });
    const dspMs = best(() => {
      report = analyzeAudio(decoded.channels, RATE, { truePeak: true });
    });
    const dspWithDecodeMs = best(() => {
      const d = decodeWav(readFileSync(file));
      analyzeAudio(d.channels, RATE, { truePeak: true });
    });
    const loudnessOnlyMs = best(() =>
      analyzeAudio(decoded.channels, RATE, { truePeak: true, spectrum: false, tempo: false, key: false }),
    );

    let ff: Readings | undefined;
    let ffMs = NaN;
    let ffVersion = '';
    if (hasFfmpeg) {
      ffVersion = execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0]!;
      const args = [
        '-nostats',
        '-hide_banner',
        '-threads',
        '1',
        '-filter_complex_threads',
        '1',
        '-i',
        file,
        '-filter_complex',
        'ebur128=peak=true',
        '-f',
        'null',
        '-',
      ];
      let stderr = '';
      ffMs = best(() => {
        const r = spawnSync('ffmpeg', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
        if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.slice(-500)}`);
        stderr = r.stderr;
      });
      ff = parseFfmpeg(stderr);
    }

    const x = (ms: number) => (ms > 0 ? `${(seconds / (ms / 1000)).toFixed(0)}x real time` : '-');
    const f = (v: number | null | undefined, d = 1) =>
      v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(d);
    console.log(
      `${seconds} s of 48 kHz stereo (float32 WAV, ${(bytes.length / 1048576).toFixed(1)} MB), best of ${RUNS}, wall clock, one thread each`,
    );
    console.log(`node ${process.version}${ffVersion ? `; ${ffVersion}` : ''}`);
    console.log('');
    console.log('timing');
    console.log(
      `  Codette analyzeAudio, everything (R128, true peak, levels, spectrum, tempo, key): ${dspMs.toFixed(0).padStart(6)} ms  ${x(dspMs)}`,
    );
    console.log(
      `  Codette analyzeAudio, loudness + true peak + levels only:                       ${loudnessOnlyMs.toFixed(0).padStart(6)} ms  ${x(loudnessOnlyMs)}`,
    );
    console.log(
      `  Codette, WAV read + decode + everything:                                        ${dspWithDecodeMs.toFixed(0).padStart(6)} ms  ${x(dspWithDecodeMs)}`,
    );
    if (hasFfmpeg) {
      console.log(
        `  ffmpeg -i file -filter_complex ebur128=peak=true -f null - (read + decode incl.): ${ffMs.toFixed(0).padStart(6)} ms  ${x(ffMs)}`,
      );
      console.log(
        `  Codette (decode + everything) vs ffmpeg: ${(ffMs / dspWithDecodeMs).toFixed(2)}x ${ffMs >= dspWithDecodeMs ? 'faster' : 'SLOWER'}`,
      );
    }
    console.log('');
    console.log('readings                 Codette     ffmpeg');
    console.log(
      `  integrated (LUFS)   ${f(report.loudness.integrated_lufs, 2).padStart(10)} ${f(ff?.integrated, 2).padStart(10)}`,
    );
    console.log(`  loudness range (LU) ${f(report.loudness.range_lu, 2).padStart(10)} ${f(ff?.lra, 2).padStart(10)}`);
    console.log(
      `  true peak (dBTP)    ${f(report.peak.true_peak_dbtp, 2).padStart(10)} ${f(ff?.truePeak, 2).padStart(10)}`,
    );
    console.log(`  sample peak (dBFS)  ${f(report.peak.sample_peak_dbfs, 2).padStart(10)}        -`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
