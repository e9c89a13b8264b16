import autocannon from 'autocannon';
import WebSocket from 'ws';

const QUESTIONS = [
  'how do I compress a lead vocal',
  'my kick and bass are clashing',
  'the mix sounds muddy around 300 hz',
  'what reverb for a snare',
  'how loud should I master for spotify',
  'how to make the hi hats less harsh',
  'what is a good attack time for a drum bus compressor',
  'how do I record an acoustic guitar',
];

export interface ChatLoad {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

/**
 * Drives POST /codette/chat. `cached: false` makes every question unique (a miss, a fresh session, two stored
 * messages): the full cost of an answer. `rate` fixes the request rate (requests per second over all connections).
 */
export async function chatLoad(baseUrl: string, options: { seconds: number; cached: boolean; rate?: number; connections?: number }): Promise<ChatLoad> {
  let n = 0;
  const result = await autocannon({
    url: `${baseUrl}/codette/chat`,
    connections: options.connections ?? 20,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          const q = QUESTIONS[n % QUESTIONS.length]!;
          n += 1;
          return { ...req, body: JSON.stringify({ message: options.cached ? q : `${q} take ${n}` }) };
        },
      },
    ],
  });
  return { rps: Math.round(result.requests.average), p50_ms: result.latency.p50, p99_ms: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
}

/** Time from sending a chat over the WebSocket to its first delta, over `count` questions on `sockets` connections. */
export async function firstDeltaLatency(baseUrl: string, count: number, sockets = 10): Promise<{ p50_ms: number; p99_ms: number }> {
  const url = baseUrl.replace(/^http/, 'ws') + '/ws';
  const clients = await Promise.all(
    Array.from({ length: sockets }, () => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    })),
  );
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    clients.map(async (ws, c) => {
      while (next < count) {
        const i = next++;
        const id = `bench-${c}-${i}-${Date.now()}`;
        const sent = performance.now();
        await new Promise<void>((resolve) => {
          const onMessage = (data: WebSocket.RawData) => {
            const text = String(data);
            if (text.includes('"chat_delta"') && text.includes(id) && latencies.length < count + 1) {
              latencies.push(performance.now() - sent);
            }
            if (text.includes('"ack"') && text.includes(id)) {
              ws.off('message', onMessage);
              resolve();
            }
          };
          ws.on('message', onMessage);
          ws.send(JSON.stringify({ type: 'chat', id, request: { message: `${QUESTIONS[i % QUESTIONS.length]} ${i}` } }));
        });
      }
    }),
  );
  clients.forEach((ws) => ws.close());
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN) * 100) / 100;
  return { p50_ms: at(0.5), p99_ms: at(0.99) };
}
