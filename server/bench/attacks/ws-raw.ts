/**
 * WebSocket clients that misbehave on purpose, over a raw TCP socket (no ws library to smooth things over): for the
 * slow-consumer regression test and `npm run redteam`. Loopback only.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

/** One masked client frame (RFC 6455 5.3: a client must mask). `opcode` 1 = text, 0xA = pong. */
export function clientFrame(payload: Buffer, opcode = 1): Buffer {
  const n = payload.length;
  const len = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(len + 4 + n);
  frame[0] = 0x80 | opcode;
  if (n < 126) frame[1] = 0x80 | n;
  else if (n < 65536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, len);
  for (let i = 0; i < n; i++) frame[len + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}

export interface RawSocket {
  socket: Socket;
  /** Resolves with the close code the server sent (from its close frame, when it was read), or null. */
  closed: Promise<number | null>;
}

/** Opens /ws by hand; `read: false` never reads what the server sends (a client stuck in a loop, or hostile). */
export async function openRawWebSocket(url: string, options: { read: boolean; origin?: string }): Promise<RawSocket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  socket.write(
    `GET /ws HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      (options.origin ? `Origin: ${options.origin}\r\n` : '') +
      '\r\n',
  );
  // The 101 answer is read either way; afterwards a non-reading client stops.
  let head = Buffer.alloc(0);
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      if (head.includes('\r\n\r\n')) {
        socket.off('data', onData);
        if (!head.subarray(0, 12).toString().includes('101'))
          reject(new Error(`upgrade refused: ${head.toString().split('\r\n')[0]}`));
        else resolve();
      }
    };
    socket.on('data', onData);
  });
  let closeCode: number | null = null;
  let tail: Buffer = head.subarray(head.indexOf('\r\n\r\n') + 4);
  if (options.read) {
    socket.on('data', (d: Buffer) => {
      tail = tail.length > 1 << 16 ? d : Buffer.concat([tail, d]);
      const at = tail.lastIndexOf(Buffer.from([0x88]));
      if (at >= 0 && at + 3 < tail.length && (tail[at + 1]! & 0x7f) >= 2) closeCode = tail.readUInt16BE(at + 2);
    });
  } else socket.pause();
  const closed = new Promise<number | null>((resolve) => socket.once('close', () => resolve(closeCode)));
  return { socket, closed };
}

/**
 * Writes `count` copies of `message` as fast as the kernel takes them, never reading: what made the server buffer
 * every answer (issue 13.5). Resolves with how many frames were written before the server closed the connection.
 */
export async function floodWithoutReading(raw: RawSocket, message: unknown, count: number): Promise<number> {
  const frame = clientFrame(Buffer.from(JSON.stringify(message)));
  const perWrite = 4096;
  const chunk = Buffer.concat(Array.from({ length: perWrite }, () => frame));
  let written = 0;
  let open = true;
  void raw.closed.then(() => (open = false));
  while (open && written < count) {
    const n = Math.min(perWrite, count - written);
    const ok = raw.socket.write(n === perWrite ? chunk : chunk.subarray(0, n * frame.length));
    written += n;
    if (!ok)
      await Promise.race([
        new Promise((r) => raw.socket.once('drain', r)),
        raw.closed,
        new Promise((r) => setTimeout(r, 2000)),
      ]);
  }
  return written;
}

/** Resident memory of a process, from /proc (Linux), in MB. */
export async function rssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Samples a process's RSS every `everyMs` until stopped; `peak` is the largest seen. */
export function watchRss(pid: number, everyMs = 50): { stop(): Promise<number>; peak(): number } {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      peak = Math.max(peak, await rssMb(pid).catch(() => 0));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    peak: () => peak,
    async stop() {
      stopped = true;
      await loop;
      return peak;
    },
  };
}
