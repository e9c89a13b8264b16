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
export async function chatLoad(
  baseUrl: string,
  options: { seconds: number; cached: boolean; rate?: number; connections?: number },
): Promise<ChatLoad> {
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
  return {
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * Chat at a steady rate: request i leaves at start + i/rate whatever the earlier ones do (open loop, no bursts), and
 * its latency counts from that planned moment, so a slow answer that delays the next ones is not hidden.
 */
export async function pacedChat(baseUrl: string, rate: number, seconds: number): Promise<ChatLoad> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now() + 50;
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const planned = start + (i * 1000) / rate;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const q = QUESTIONS[i % QUESTIONS.length]!;
    inflight.push(
      fetch(`${baseUrl}/codette/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: `${q} paced ${i}` }),
      })
        .then(async (res) => {
          await res.arrayBuffer();
          if (!res.ok) errors++;
          latencies.push(performance.now() - planned);
        })
        .catch(() => void errors++),
    );
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN) * 100) / 100;
  return { rps: Math.round(total / seconds), p50_ms: at(0.5), p99_ms: at(0.99), errors };
}

/** Time from sending a chat over the WebSocket to its first delta, over `count` questions on `sockets` connections. */
export async function firstDeltaLatency(
  baseUrl: string,
  count: number,
  sockets = 10,
): Promise<{ p50_ms: number; p99_ms: number }> {
  const url = baseUrl.replace(/^http/, 'ws') + '/ws';
  const clients = await Promise.all(
    Array.from(
      { length: sockets },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    ),
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
          ws.send(
            JSON.stringify({ type: 'chat', id, request: { message: `${QUESTIONS[i % QUESTIONS.length]} ${i}` } }),
          );
        });
      }
    }),
  );
  clients.forEach((ws) => ws.close());
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN) * 100) / 100;
  return { p50_ms: at(0.5), p99_ms: at(0.99) };
}
