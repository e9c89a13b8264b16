import { describe, expect, it } from 'vitest';
import { WavError, decodeWav, encodeWav, type WavEncoding } from '../wav';
import { steppedSine } from './synth';

function expectWavError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WavError);
    expect((e as WavError).code).toBe(code);
    expect((e as WavError).message).toMatch(message);
    return;
  }
  throw new Error('expected a WavError');
}

const sine = steppedSine(44100, [{ dbfs: -1, seconds: 0.05 }], 440);
const other = sine.map((v) => -0.5 * v);

describe('WAV round trip', () => {
  const cases: Array<[WavEncoding, boolean, number, number]> = [
    ['pcm16', false, 16, 1 / 32768],
    ['pcm24', false, 24, 1 / 8388608],
    ['pcm32', false, 32, 1e-7],
    ['float32', false, 32, 0],
    ['pcm16', true, 16, 1 / 32768],
    ['pcm24', true, 24, 1 / 8388608],
    ['float32', true, 32, 0],
  ];
  it.each(cases)('%s (extensible: %s) decodes what was encoded, mono and stereo', (encoding, extensible, bits, tol) => {
    for (const chans of [[sine], [sine, other]]) {
      for (const rate of [44100, 48000, 96000]) {
        const bytes = encodeWav(chans, rate, { encoding, extensible });
        const d = decodeWav(bytes);
        expect(d.sampleRate).toBe(rate);
        expect(d.bitDepth).toBe(bits);
        expect(d.format).toBe(encoding === 'float32' ? 'float' : 'pcm');
        expect(d.channels).toHaveLength(chans.length);
        chans.forEach((ch, c) => {
          expect(d.channels[c]!.length).toBe(ch.length);
          let err = 0;
          for (let i = 0; i < ch.length; i++) err = Math.max(err, Math.abs(d.channels[c]![i]! - ch[i]!));
          expect(err).toBeLessThanOrEqual(tol * 0.5 + 1e-12);
        });
      }
    }
  });

  it('decodes from an unaligned view and skips unknown chunks (LIST) before data', () => {
    const plain = encodeWav([sine, other], 48000, { encoding: 'pcm16' });
    // Insert a 5-byte LIST chunk (odd size, padded) between fmt and data, and offset the whole file by 1 byte.
    const list = new Uint8Array([0x4c, 0x49, 0x53, 0x54, 5, 0, 0, 0, 1, 2, 3, 4, 5, 0]);
    const withList = new Uint8Array(plain.length + list.length + 1);
    withList.set(plain.subarray(0, 36), 1);
    withList.set(list, 37);
    withList.set(plain.subarray(36), 37 + list.length);
    const d = decodeWav(withList.subarray(1));
    expect(d.channels[1]![10]).toBeCloseTo(other[10]!, 4);
  });

  it('clips out-of-range samples when encoding integers', () => {
    const d = decodeWav(encodeWav([Float32Array.of(2, -2, 0.5)], 48000, { encoding: 'pcm16' }));
    expect(Array.from(d.channels[0]!)).toEqual([32767 / 32768, -1, 0.5]);
  });
});

describe('WAV errors', () => {
  const good = encodeWav([sine], 48000, { encoding: 'pcm16' });
  const patched = (at: number, bytes: number[]) => {
    const b = good.slice();
    bytes.forEach((v, i) => (b[at + i] = v));
    return b;
  };

  it('names the problem with a code and a readable message', () => {
    expectWavError(() => decodeWav(new TextEncoder().encode('ID3\u0004 this is an mp3 file')), 'not_riff', /RIFF/);
    expectWavError(() => decodeWav(new Uint8Array(4)), 'truncated', /too short/);
    expectWavError(() => decodeWav(patched(8, [0x41, 0x56, 0x49, 0x20])), 'not_wave', /AVI/);
    expectWavError(() => decodeWav(patched(0, [0x52, 0x46, 0x36, 0x34])), 'unsupported_container', /RF64/);
    expectWavError(() => decodeWav(patched(20, [7, 0])), 'unsupported_format', /mu-law/);
    // 8-bit PCM: bits 8, block align 1.
    expectWavError(() => decodeWav(patched(32, [1, 0, 8, 0])), 'unsupported_bit_depth', /8-bit PCM/);
    expectWavError(() => decodeWav(patched(24, [0x10, 0, 0, 0])), 'invalid_sample_rate', /16 Hz/);
    expectWavError(() => decodeWav(patched(32, [3, 0])), 'invalid_fmt', /block align 3/);
    expectWavError(() => decodeWav(good.subarray(0, good.length - 11)), 'truncated', /declares \d+ bytes but \d+/);
    expectWavError(() => decodeWav(good.subarray(0, 36)), 'missing_data', /data/);
    expectWavError(() => decodeWav(patched(12, [0x6a, 0x75, 0x6e, 0x6b])), 'missing_fmt', /fmt/);
  });

  it('refuses more than two channels unless asked, and accepts them when asked', () => {
    const six = encodeWav([sine, sine, sine, sine, sine, sine], 48000);
    expectWavError(() => decodeWav(six), 'too_many_channels', /6 channels, at most 2/);
    expect(decodeWav(six, { maxChannels: 6 }).channels).toHaveLength(6);
  });

  it('decodes what is there when truncation is allowed', () => {
    const cut = good.subarray(0, good.length - 11);
    const d = decodeWav(cut, { allowTruncated: true });
    expect(d.channels[0]!.length).toBe(sine.length - 6);
  });

  it('refuses 64-bit float', () => {
    const f = encodeWav([sine], 48000, { encoding: 'float32' });
    f[34] = 64;
    f[32] = 8;
    expectWavError(() => decodeWav(f), 'unsupported_bit_depth', /64-bit float/);
  });
});
