import { open } from 'node:fs/promises';
import { decodeWav, WavError, type WavSampleFormat } from '../../shared/dsp/index';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitDepth: number;
  format: WavSampleFormat;
  frames: number;
  durationSeconds: number;
  /** Where the samples are in the file, and how many bytes of them. */
  dataStart: number;
  dataBytes: number;
}

/** Most channels the analysis accepts (mono and stereo). */
export const MAX_CHANNELS = 2;

/** A file of thousands of tiny chunks would cost a read each: past this many, it is refused. */
const MAX_CHUNKS = 1000;

/** Bytes of samples handed to decodeWav to check the format: a few whole frames of any layout. */
const SAMPLE_BYTES = 4096;

/**
 * Reads a WAV's format and length from the file on disk without decoding the audio: walks every RIFF chunk header
 * (in any order: `fmt ` may come after `data`, metadata of any size may come first), then lets decodeWav validate
 * the format on a few frames, so that the refusals are exactly the decoder's. Throws WavError.
 */
export async function inspectWav(path: string, fileSize: number): Promise<WavInfo> {
  const file = await open(path, 'r');
  try {
    const read = async (at: number, length: number) => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, fileSize - at)));
      if (buf.length) await file.read(buf, 0, buf.length, at);
      return buf;
    };
    const riff = await read(0, 12);
    // The RIFF/WAVE checks (and their messages) are the decoder's.
    if (riff.length < 12 || riff.toString('latin1', 0, 4) !== 'RIFF' || riff.toString('latin1', 8, 12) !== 'WAVE') {
      decodeWav(riff, { maxChannels: MAX_CHANNELS, allowTruncated: true });
    }
    let fmt: Buffer | undefined;
    let dataStart = -1;
    let dataBytes = 0;
    for (let pos = 12, chunks = 0; pos + 8 <= fileSize && (!fmt || dataStart < 0); chunks++) {
      if (chunks === MAX_CHUNKS)
        throw new WavError('invalid_fmt', `more than ${MAX_CHUNKS} RIFF chunks before the format and the audio`);
      const header = await read(pos, 8);
      const id = header.toString('latin1', 0, 4);
      const size = header.readUInt32LE(4);
      if (id === 'fmt ' && !fmt) {
        // Only the first 40 bytes of a fmt chunk mean anything to the decoder; its copy says how long it is.
        const body = await read(pos + 8, Math.min(size, 64));
        fmt = Buffer.concat([Buffer.from('fmt ', 'latin1'), Buffer.alloc(4), body, Buffer.alloc(body.length & 1)]);
        fmt.writeUInt32LE(body.length, 4);
      } else if (id === 'data' && dataStart < 0) {
        dataStart = pos + 8;
        dataBytes = size;
      }
      pos += 8 + size + (size & 1);
    }
    if (!fmt) throw new WavError('missing_fmt', 'no "fmt " chunk: cannot tell the sample format');
    if (dataStart < 0) throw new WavError('missing_data', 'no "data" chunk: the file holds no audio');
    // A small WAV in the decoder's expected order (fmt, then data with a few frames): its checks decide the format.
    const sample = await read(dataStart, Math.min(dataBytes, SAMPLE_BYTES));
    const dataHeader = Buffer.alloc(8);
    dataHeader.write('data', 0, 'latin1');
    dataHeader.writeUInt32LE(sample.length, 4);
    const mini = Buffer.concat([riff.subarray(0, 12), fmt, dataHeader, sample]);
    const decoded = decodeWav(mini, { maxChannels: MAX_CHANNELS, allowTruncated: true });
    const blockAlign = (decoded.channels.length * decoded.bitDepth) / 8;
    const present = fileSize - dataStart;
    if (dataBytes > present) {
      throw new WavError(
        'truncated',
        `data chunk declares ${dataBytes} bytes but ${present} are present (an unfinished or streamed recording?)`,
      );
    }
    const frames = Math.floor(dataBytes / blockAlign);
    return {
      sampleRate: decoded.sampleRate,
      channels: decoded.channels.length,
      bitDepth: decoded.bitDepth,
      format: decoded.format,
      frames,
      durationSeconds: frames / decoded.sampleRate,
      dataStart,
      dataBytes: frames * blockAlign,
    };
  } finally {
    await file.close();
  }
}
