import { ApiError } from './errors';

/** Where a file part's bytes go as they arrive (a file on disk), so that no upload is ever held in memory. */
export interface PartSink {
  write(chunk: Uint8Array): Promise<void>;
}

export interface MultipartHandlers {
  /** A file part begins: answer where its bytes go, or undefined to skip it. */
  file(field: string, filename: string, contentType: string | null): Promise<PartSink | undefined>;
}

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_FIELDS = 100;

const invalid = (why: string) =>
  new ApiError(
    400,
    'invalid_multipart',
    `The multipart body could not be read (${why}): send a form with the WAV in the field "file".`,
    { field: 'file' },
  );

/** The boundary of a `multipart/form-data` Content-Type, or undefined. */
export function multipartBoundary(contentType: string | null): string | undefined {
  if (!/^multipart\/form-data\b/i.test(contentType ?? '')) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType!);
  return m?.[1] ?? m?.[2];
}

function parseHeaders(text: string): { field: string; filename?: string; contentType: string | null } {
  let disposition = '';
  let contentType: string | null = null;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = value;
  }
  if (!/^form-data\b/i.test(disposition)) throw invalid('a part without Content-Disposition: form-data');
  const param = (key: string) => {
    const m =
      new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition) ??
      new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(disposition);
    return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
  };
  const field = param('name');
  if (field === undefined) throw invalid('a part without a name');
  const filename = param('filename');
  return { field, ...(filename === undefined ? {} : { filename }), contentType };
}

/**
 * Reads a multipart/form-data body as it streams: file parts go to the sink `handlers.file` gives, piece by piece;
 * text fields (at most 100, 64 KiB each) are returned. Memory stays a few chunks whatever the upload's size.
 */
export async function readMultipart(
  chunks: AsyncIterable<Uint8Array>,
  boundary: string,
  handlers: MultipartHandlers,
): Promise<Record<string, string>> {
  const opening = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields: Record<string, string> = {};
  let fieldCount = 0;
  let buf: Buffer = Buffer.alloc(0);
  let state = 'preamble' as 'preamble' | 'after_delimiter' | 'headers' | 'body' | 'done';
  const done = () => state === 'done';
  let sink: PartSink | undefined;
  let text: Buffer[] | undefined;
  let textBytes = 0;
  let current = '';

  const emit = async (bytes: Buffer) => {
    if (bytes.length === 0) return;
    if (sink) await sink.write(bytes);
    else if (text) {
      textBytes += bytes.length;
      if (textBytes > MAX_FIELD_BYTES) throw invalid(`the field "${current}" is over 64 KiB`);
      text.push(bytes);
    }
  };

  const step = async (final: boolean): Promise<boolean> => {
    switch (state) {
      case 'preamble': {
        const at = buf.indexOf(opening);
        if (at < 0) {
          if (buf.length > MAX_HEADER_BYTES) throw invalid('no boundary');
          return false;
        }
        buf = buf.subarray(at + opening.length);
        state = 'after_delimiter';
        return true;
      }
      case 'after_delimiter': {
        if (buf.length < 2) return false;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'done';
          return false;
        }
        if (buf[0] !== 0x0d || buf[1] !== 0x0a) throw invalid('a boundary not followed by a line break');
        buf = buf.subarray(2);
        state = 'headers';
        return true;
      }
      case 'headers': {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buf.length > MAX_HEADER_BYTES) throw invalid('part headers over 16 KiB');
          return false;
        }
        const part = parseHeaders(buf.subarray(0, end).toString('utf8'));
        buf = buf.subarray(end + 4);
        current = part.field;
        if (part.filename !== undefined) {
          sink = await handlers.file(part.field, part.filename, part.contentType);
          text = undefined;
        } else {
          if (++fieldCount > MAX_FIELDS) throw invalid('more than 100 fields');
          sink = undefined;
          text = [];
          textBytes = 0;
        }
        state = 'body';
        return true;
      }
      case 'body': {
        const at = buf.indexOf(delimiter);
        if (at >= 0) {
          await emit(buf.subarray(0, at));
          if (text) fields[current] = Buffer.concat(text).toString('utf8');
          sink = undefined;
          text = undefined;
          buf = buf.subarray(at + delimiter.length);
          state = 'after_delimiter';
          return true;
        }
        // Keep what could be the start of a delimiter split across two chunks.
        const safe = buf.length - delimiter.length;
        if (safe > 0) {
          await emit(buf.subarray(0, safe));
          buf = buf.subarray(safe);
        }
        if (final) throw invalid('the body ends inside a part');
        return false;
      }
      case 'done':
        return false;
    }
  };

  for await (const chunk of chunks) {
    if (done()) continue; // an epilogue is ignored
    buf = buf.length ? Buffer.concat([buf, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (await step(false));
  }
  while (await step(true));
  if (!done()) throw invalid('no closing boundary');
  return fields;
}
