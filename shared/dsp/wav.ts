import type { WAV_ERROR_CODES } from '../schemas/errors';

/**
 * WAV (RIFF/WAVE) decoding and encoding, in memory, for the whole-file analyser.
 *
 * Decodes 16-, 24- and 32-bit integer PCM and 32-bit IEEE float, plain or WAVE_FORMAT_EXTENSIBLE, mono and stereo
 * by default (up to 8 channels on request), any rate from 8 kHz to 768 kHz. Anything else is refused with a
 * `WavError` whose `code` says what and whose message names the offending value.
 */

export type WavErrorCode = (typeof WAV_ERROR_CODES)[number];

export class WavError extends Error {
  readonly code: WavErrorCode;
  constructor(code: WavErrorCode, message: string) {
    super(message);
    this.name = 'WavError';
    this.code = code;
  }
}

export type WavSampleFormat = 'pcm' | 'float';

export interface DecodedWav {
  sampleRate: number;
  /** Planar samples, full scale = +/-1. */
  channels: Float32Array[];
  bitDepth: number;
  format: WavSampleFormat;
}

export interface DecodeWavOptions {
  /** Most channels accepted (default 2: mono and stereo). At most 8. */
  maxChannels?: number;
  /** Decode what is there when the data chunk is shorter than its header says (default false: error). */
  allowTruncated?: boolean;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
const FORMAT_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'mu-law',
  0x11: 'IMA ADPCM',
  0x50: 'MPEG',
  0x55: 'MP3',
};

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export function decodeWav(bytes: Uint8Array, options: DecodeWavOptions = {}): DecodedWav {
  const maxChannels = Math.min(8, options.maxChannels ?? 2);
  if (bytes.length < 12) throw new WavError('truncated', `file is ${bytes.length} bytes, too short for a RIFF header`);
  const magic = fourcc(bytes, 0);
  if (magic === 'RIFX' || magic === 'RF64' || magic === 'BW64') {
    throw new WavError('unsupported_container', `${magic} files are not supported, only little-endian RIFF WAVE`);
  }
  if (magic !== 'RIFF') throw new WavError('not_riff', 'not a WAV file: it does not start with "RIFF"');
  if (fourcc(bytes, 8) !== 'WAVE') {
    throw new WavError('not_wave', `RIFF file of type "${fourcc(bytes, 8)}", expected "WAVE"`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { tag: number; channels: number; rate: number; blockAlign: number; bits: number } | undefined;
  let dataStart = -1;
  let dataBytes = 0;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = fourcc(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length)
        throw new WavError('invalid_fmt', `fmt chunk is ${size} bytes, need 16`);
      let tag = view.getUint16(body, true);
      if (tag === FORMAT_EXTENSIBLE) {
        if (size < 40 || body + 40 > bytes.length) {
          throw new WavError('invalid_fmt', `WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, need 40`);
        }
        tag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      fmt = {
        tag,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      dataStart = body;
      dataBytes = size;
      if (fmt) break;
    }
    pos = body + size + (size & 1);
  }
  if (!fmt) throw new WavError('missing_fmt', 'no "fmt " chunk: cannot tell the sample format');
  if (dataStart < 0) throw new WavError('missing_data', 'no "data" chunk: the file holds no audio');

  const { tag, channels, rate, blockAlign, bits } = fmt;
  if (tag !== FORMAT_PCM && tag !== FORMAT_FLOAT) {
    const name = FORMAT_NAMES[tag] ?? `format tag 0x${tag.toString(16)}`;
    throw new WavError('unsupported_format', `${name} WAV is not supported, only PCM and IEEE float`);
  }
  const format: WavSampleFormat = tag === FORMAT_FLOAT ? 'float' : 'pcm';
  if (format === 'pcm' && bits !== 16 && bits !== 24 && bits !== 32) {
    throw new WavError('unsupported_bit_depth', `${bits}-bit PCM is not supported, only 16, 24 and 32-bit`);
  }
  if (format === 'float' && bits !== 32) {
    throw new WavError('unsupported_bit_depth', `${bits}-bit float is not supported, only 32-bit float`);
  }
  if (channels === 0) throw new WavError('invalid_fmt', 'fmt chunk declares 0 channels');
  if (channels > maxChannels) {
    throw new WavError('too_many_channels', `${channels} channels, at most ${maxChannels} supported`);
  }
  if (rate < 8000 || rate > 768000) {
    throw new WavError('invalid_sample_rate', `sample rate ${rate} Hz is outside 8000..768000 Hz`);
  }
  const bytesPerSample = bits / 8;
  if (blockAlign !== channels * bytesPerSample) {
    throw new WavError('invalid_fmt', `block align ${blockAlign} does not match ${channels} x ${bits}-bit samples`);
  }

  let available = Math.min(dataBytes, bytes.length - dataStart);
  if (available < dataBytes || available % blockAlign !== 0) {
    if (!options.allowTruncated) {
      throw new WavError(
        'truncated',
        `data chunk declares ${dataBytes} bytes but ${available} are present` +
          (available % blockAlign !== 0 ? ` (not a whole number of ${blockAlign}-byte frames)` : ''),
      );
    }
    available -= available % blockAlign;
  }
  const frames = available / blockAlign;
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) out.push(new Float32Array(frames));
  const base = bytes.byteOffset + dataStart;

  if (bits === 16) {
    const aligned = littleEndian && base % 2 === 0;
    const s16 = aligned ? new Int16Array(bytes.buffer, base, frames * channels) : undefined;
    const k = 1 / 32768;
    for (let c = 0; c < channels; c++) {
      const ch = out[c]!;
      if (s16) for (let i = 0, j = c; i < frames; i++, j += channels) ch[i] = s16[j]! * k;
      else for (let i = 0; i < frames; i++) ch[i] = view.getInt16(dataStart + (i * channels + c) * 2, true) * k;
    }
  } else if (bits === 24) {
    const k = 1 / 8388608;
    for (let c = 0; c < channels; c++) {
      const ch = out[c]!;
      for (let i = 0, p = dataStart + c * 3; i < frames; i++, p += blockAlign) {
        const v = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16);
        ch[i] = ((v << 8) >> 8) * k;
      }
    }
  } else {
    const aligned = littleEndian && base % 4 === 0;
    if (format === 'float') {
      const f32 = aligned ? new Float32Array(bytes.buffer, base, frames * channels) : undefined;
      for (let c = 0; c < channels; c++) {
        const ch = out[c]!;
        if (f32) for (let i = 0, j = c; i < frames; i++, j += channels) ch[i] = f32[j]!;
        else for (let i = 0; i < frames; i++) ch[i] = view.getFloat32(dataStart + (i * channels + c) * 4, true);
      }
    } else {
      const s32 = aligned ? new Int32Array(bytes.buffer, base, frames * channels) : undefined;
      const k = 1 / 2147483648;
      for (let c = 0; c < channels; c++) {
        const ch = out[c]!;
        if (s32) for (let i = 0, j = c; i < frames; i++, j += channels) ch[i] = s32[j]! * k;
        else for (let i = 0; i < frames; i++) ch[i] = view.getInt32(dataStart + (i * channels + c) * 4, true) * k;
      }
    }
  }
  return { sampleRate: rate, channels: out, bitDepth: bits, format };
}

export type WavEncoding = 'pcm16' | 'pcm24' | 'pcm32' | 'float32';

export interface EncodeWavOptions {
  encoding?: WavEncoding;
  /** Write a WAVE_FORMAT_EXTENSIBLE fmt chunk (40 bytes) instead of the plain 16-byte one. */
  extensible?: boolean;
}

/** Interleaves planar channels into a WAV file. Integer encodings clip to full scale and round to nearest. */
export function encodeWav(
  channels: readonly Float32Array[],
  sampleRate: number,
  options: EncodeWavOptions = {},
): Uint8Array {
  const encoding = options.encoding ?? 'pcm16';
  const bits = encoding === 'pcm16' ? 16 : encoding === 'pcm24' ? 24 : 32;
  const isFloat = encoding === 'float32';
  const nch = channels.length;
  const frames = channels[0]?.length ?? 0;
  const blockAlign = (nch * bits) / 8;
  const dataBytes = frames * blockAlign;
  const fmtBytes = options.extensible ? 40 : 16;
  const total = 12 + 8 + fmtBytes + 8 + dataBytes + (dataBytes & 1);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, total - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, fmtBytes, true);
  const tag = isFloat ? FORMAT_FLOAT : FORMAT_PCM;
  v.setUint16(20, options.extensible ? FORMAT_EXTENSIBLE : tag, true);
  v.setUint16(22, nch, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * blockAlign, true);
  v.setUint16(32, blockAlign, true);
  v.setUint16(34, bits, true);
  if (options.extensible) {
    v.setUint16(36, 22, true); // cbSize
    v.setUint16(38, bits, true); // valid bits
    v.setUint32(40, nch === 1 ? 0x4 : nch === 2 ? 0x3 : 0, true); // channel mask
    // KSDATAFORMAT_SUBTYPE_{PCM,IEEE_FLOAT}: {0000000X-0000-0010-8000-00AA00389B71}
    const guidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
    v.setUint16(44, tag, true);
    guidTail.forEach((b, i) => (out[46 + i] = b));
  }
  const dataAt = 20 + fmtBytes;
  ascii(dataAt, 'data');
  v.setUint32(dataAt + 4, dataBytes, true);
  let p = dataAt + 8;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++) {
      const x = channels[c]![i]!;
      if (isFloat) {
        v.setFloat32(p, x, true);
      } else {
        const full = 2 ** (bits - 1);
        const q = Math.max(-full, Math.min(full - 1, Math.round(x * full)));
        if (bits === 16) v.setInt16(p, q, true);
        else if (bits === 32) v.setInt32(p, q, true);
        else {
          out[p] = q & 0xff;
          out[p + 1] = (q >> 8) & 0xff;
          out[p + 2] = (q >> 16) & 0xff;
        }
      }
      p += bits / 8;
    }
  }
  return out;
}
