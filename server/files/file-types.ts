/** The file types Codette accepts, each with the bytes its content must start with. */
export interface FileType {
  mime: string;
  aliases: string[];
  extension: string;
  matches(head: Uint8Array): boolean;
}

const ascii = (head: Uint8Array, offset: number, text: string) =>
  [...text].every((c, i) => head[offset + i] === c.charCodeAt(0));
const isText = (head: Uint8Array) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return !head.subarray(0, 512).includes(0);
  } catch {
    return false;
  }
};

export const FILE_TYPES: FileType[] = [
  {
    mime: 'audio/wav',
    aliases: ['audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
    extension: 'wav',
    matches: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WAVE'),
  },
  { mime: 'audio/flac', aliases: ['audio/x-flac'], extension: 'flac', matches: (h) => ascii(h, 0, 'fLaC') },
  {
    mime: 'audio/mpeg',
    aliases: ['audio/mp3'],
    extension: 'mp3',
    matches: (h) => ascii(h, 0, 'ID3') || (h[0] === 0xff && ((h[1] ?? 0) & 0xe0) === 0xe0),
  },
  { mime: 'audio/ogg', aliases: ['audio/opus', 'audio/vorbis'], extension: 'ogg', matches: (h) => ascii(h, 0, 'OggS') },
  {
    mime: 'audio/aiff',
    aliases: ['audio/x-aiff'],
    extension: 'aiff',
    matches: (h) => ascii(h, 0, 'FORM') && (ascii(h, 8, 'AIFF') || ascii(h, 8, 'AIFC')),
  },
  { mime: 'audio/midi', aliases: ['audio/x-midi'], extension: 'mid', matches: (h) => ascii(h, 0, 'MThd') },
  { mime: 'application/pdf', aliases: [], extension: 'pdf', matches: (h) => ascii(h, 0, '%PDF-') },
  { mime: 'image/png', aliases: [], extension: 'png', matches: (h) => h[0] === 0x89 && ascii(h, 1, 'PNG') },
  {
    mime: 'image/jpeg',
    aliases: [],
    extension: 'jpg',
    matches: (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff,
  },
  { mime: 'application/json', aliases: [], extension: 'json', matches: isText },
  { mime: 'text/plain', aliases: ['text/markdown'], extension: 'txt', matches: isText },
];

export function fileTypeFor(contentType: string | null): FileType | undefined {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return FILE_TYPES.find((t) => t.mime === mime || t.aliases.includes(mime));
}

export const ACCEPTED_TYPES = FILE_TYPES.map((t) => t.mime);
