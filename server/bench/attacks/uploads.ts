/**
 * Large uploads built on the fly (never held in memory on the sending side either): for the upload memory test and
 * `npm run redteam`.
 */

/** A RIFF chunk header. */
function chunkHeader(id: string, size: number): Buffer {
  const b = Buffer.alloc(8);
  b.write(id, 0, 'latin1');
  b.writeUInt32LE(size, 4);
  return b;
}

/** The 16-byte fmt chunk of 16-bit PCM. */
function fmtChunk(channels: number, rate: number): Buffer {
  const body = Buffer.alloc(16);
  body.writeUInt16LE(1, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(rate, 4);
  body.writeUInt32LE(rate * channels * 2, 8);
  body.writeUInt16LE(channels * 2, 12);
  body.writeUInt16LE(16, 14);
  return Buffer.concat([chunkHeader('fmt ', 16), body]);
}

export interface BigWav {
  /** The parts of the file in order: small buffers, and runs of `zeros` bytes of silence. */
  parts: Array<Buffer | { zeros: number }>;
  size: number;
}

/**
 * A 16-bit PCM WAV of about `dataBytes` bytes of silence. `fmtAfterData`: the fmt chunk follows the samples (legal
 * RIFF, and what let a 3-hour file past the length check, issue 13.6).
 */
export function bigWav(
  dataBytes: number,
  options: { channels?: number; rate?: number; fmtAfterData?: boolean } = {},
): BigWav {
  const { channels = 2, rate = 48000, fmtAfterData = false } = options;
  const data = dataBytes - (dataBytes % (channels * 2));
  const fmt = fmtChunk(channels, rate);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + fmt.length + 8 + data, 4);
  riff.write('WAVE', 8, 'latin1');
  const dataHeader = chunkHeader('data', data);
  const parts: BigWav['parts'] = fmtAfterData
    ? [riff, dataHeader, { zeros: data }, fmt]
    : [riff, fmt, dataHeader, { zeros: data }];
  return { parts, size: 12 + fmt.length + 8 + data };
}

/** The WAV as the multipart field `file` of a form (with a `target` field), as parts. */
export function asMultipart(
  wav: BigWav,
  boundary = `codette-${Date.now()}`,
): { parts: BigWav['parts']; contentType: string } {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="target"\r\n\r\nspotify\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { parts: [head, ...wav.parts, tail], contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A request body that yields the parts 1 MiB at a time. */
export function bodyOf(parts: BigWav['parts']): ReadableStream<Uint8Array> {
  const zeros = Buffer.alloc(1 << 20);
  async function* gen() {
    for (const p of parts) {
      if (Buffer.isBuffer(p)) yield new Uint8Array(p);
      else
        for (let left = p.zeros; left > 0; left -= zeros.length)
          yield new Uint8Array(zeros.subarray(0, Math.min(zeros.length, left)));
    }
  }
  const it = gen();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

/** POSTs the parts as a streamed body; resolves with the status and the error code, if any. */
export async function postParts(
  url: string,
  parts: BigWav['parts'],
  contentType: string,
): Promise<{ status: number; code?: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: bodyOf(parts),
    duplex: 'half',
  } as RequestInit);
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: res.status, ...(body.error?.code ? { code: body.error.code } : {}) };
}
