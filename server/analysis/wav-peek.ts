import { decodeWav, WavError, type WavSampleFormat } from '../../shared/dsp/index';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitDepth: number;
  format: WavSampleFormat;
  frames: number;
  durationSeconds: number;
}

/** Most channels the analysis accepts (mono and stereo). */
export const MAX_CHANNELS = 2;

/**
 * Reads a WAV's format and length from its first bytes without decoding the audio: walks the RIFF chunks to the
 * `data` header, then lets decodeWav validate the format on a few frames (so the refusals are exactly the
 * decoder's). `head` is the start of the file, `fileSize` its full size. Throws WavError.
 */
export function peekWav(head: Uint8Array, fileSize: number): WavInfo | undefined {
  if (head.length < 12) throw new WavError('truncated', `file is ${fileSize} bytes, too short for a RIFF header`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const id = (at: number) => String.fromCharCode(head[at]!, head[at + 1]!, head[at + 2]!, head[at + 3]!);
  let pos = 12;
  let sawFmt = false;
  while (pos + 8 <= head.length) {
    const chunk = id(pos);
    const size = view.getUint32(pos + 4, true);
    if (chunk === 'fmt ') sawFmt = true;
    if (chunk === 'data') {
      if (!sawFmt) return undefined; // fmt after data: leave it to the full decode
      const dataStart = pos + 8;
      // A few whole frames are enough for decodeWav to check the format; allowTruncated because they are few.
      const sample = head.subarray(0, Math.min(head.length, dataStart + 4096));
      const decoded = decodeWav(sample, { maxChannels: MAX_CHANNELS, allowTruncated: true });
      const blockAlign = (decoded.channels.length * decoded.bitDepth) / 8;
      const present = fileSize - dataStart;
      if (size > present) {
        throw new WavError('truncated', `data chunk declares ${size} bytes but ${present} are present (an unfinished or streamed recording?)`);
      }
      const frames = Math.floor(size / blockAlign);
      return {
        sampleRate: decoded.sampleRate,
        channels: decoded.channels.length,
        bitDepth: decoded.bitDepth,
        format: decoded.format,
        frames,
        durationSeconds: frames / decoded.sampleRate,
      };
    }
    pos += 8 + size + (size & 1);
  }
  // The data chunk starts beyond the head (a large metadata chunk first), or the checks below fail: decode decides.
  decodeWav(head.subarray(0, Math.min(head.length, 12)), { maxChannels: MAX_CHANNELS, allowTruncated: true });
  return undefined;
}
