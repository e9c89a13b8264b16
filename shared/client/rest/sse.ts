/** One Server-Sent Event as sent: its name (`message` when unnamed) and its data lines joined. */
export interface SseMessage {
  event: string;
  data: string;
}

/** Reads Server-Sent Events from text pieces as they arrive (events may be cut anywhere between pieces). */
export async function* readSse(chunks: AsyncIterable<string>): AsyncIterable<SseMessage> {
  let buffer = '';
  for await (const chunk of chunks) {
    // A CR at the end of a piece may be the first half of a CRLF: it waits for the next piece.
    const held = chunk.endsWith('\r') ? '\r' : '';
    buffer = (buffer + chunk.slice(0, chunk.length - held.length)).replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message = parseBlock(block);
      if (message) yield message;
      end = buffer.indexOf('\n\n');
    }
    buffer += held;
  }
  buffer = buffer.replace(/\r\n?/g, '\n');
  const last = parseBlock(buffer);
  if (last) yield last;
}

function parseBlock(block: string): SseMessage | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { event, data: data.join('\n') } : null;
}
