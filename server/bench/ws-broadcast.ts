import WebSocket from 'ws';

export interface BroadcastResult {
  clients: number;
  connected: number;
  p50_ms: number;
  p99_ms: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/**
 * Opens `clients` sockets, then changes the tempo `rounds` times over REST and times, for every client, how long
 * the transport_state push took to arrive after the request was sent (same machine, same clock). The first
 * `warmup` rounds are not counted: a freshly started server's first broadcasts to 1,000 sockets run before V8 has
 * compiled that path and take two to four times longer (measured: 25-48 ms, then 10-19 ms).
 */
export async function measureBroadcast(
  baseUrl: string,
  clients: number,
  rounds: number,
  onConnected?: () => void,
  warmup = 5,
): Promise<{ result: BroadcastResult; close: () => void }> {
  const wsUrl = baseUrl.replace(/^http/, 'ws') + '/ws';
  const sockets: WebSocket[] = [];
  const latencies: number[] = [];
  let sentAt = 0;
  let expectBpm = 0;
  let arrived = 0;
  let onRound: (() => void) | undefined;
  const opened = [];
  for (let i = 0; i < clients; i++) {
    const ws = new WebSocket(wsUrl);
    sockets.push(ws);
    opened.push(
      new Promise<boolean>((resolve) => {
        ws.once('open', () => resolve(true));
        ws.once('error', () => resolve(false));
      }),
    );
    ws.on('message', (data) => {
      // Timestamp first, then a cheap string check: the client's own parsing must not count as server latency.
      const at = performance.now();
      const text = String(data);
      if (!text.startsWith('{"type":"transport_state"') || !text.includes(`"bpm":${expectBpm},`)) return;
      latencies.push(at - sentAt);
      if (++arrived === clients) onRound?.();
    });
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
  }
  const connected = (await Promise.all(opened)).filter(Boolean).length;
  onConnected?.();
  for (let round = 0; round < warmup + rounds; round++) {
    if (round === warmup) latencies.length = 0;
    expectBpm = 100 + round;
    arrived = 0;
    const done = new Promise<void>((resolve) => {
      onRound = resolve;
      setTimeout(resolve, 5000);
    });
    sentAt = performance.now();
    await fetch(`${baseUrl}/codette/transport`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'tempo', bpm: expectBpm }),
    });
    await done;
  }
  latencies.sort((a, b) => a - b);
  const round2 = (v: number) => Math.round(v * 100) / 100;
  return {
    result: {
      clients,
      connected,
      p50_ms: round2(percentile(latencies, 0.5)),
      p99_ms: round2(percentile(latencies, 0.99)),
    },
    close: () => sockets.forEach((s) => s.terminate()),
  };
}
