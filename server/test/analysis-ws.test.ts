import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TestSocket, type TestServer } from './helpers';
import { encodeWav } from '../../shared/dsp/index';
import { gaussianNoise } from '../../shared/dsp/test/synth';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('analysis over the WebSocket', () => {
  it("tells subscribers how an upload's analysis progresses and how it ended", async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'subscribe', id: 'sub-a', topics: ['analysis'] });
    await socket.next('subscribed', (m) => m.id === 'sub-a');
    const wav = encodeWav([gaussianNoise(48000 * 4, 1, 0.05), gaussianNoise(48000 * 4, 2, 0.05)], 48000);
    const res = await server.fetch('/api/analyze/audio?target=spotify', {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: new Uint8Array(wav),
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { file: { id: string }; score: number };
    const done = await socket.next('analysis_done', (m) => m.file_id === report.file.id);
    expect(done.score).toBe(report.score);
    const progress = socket.received.filter((m) => m.type === 'analysis_progress' && m.file_id === report.file.id);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    socket.close();
  });

  it('takes live meter snapshots, acknowledges them, and pushes findings that change', async () => {
    const meter = await TestSocket.open(server.url);
    const panel = await TestSocket.open(server.url);
    panel.send({ type: 'subscribe', id: 'sub-b', topics: ['analysis'] });
    await panel.next('subscribed', (m) => m.id === 'sub-b');
    meter.send({
      type: 'meter_snapshot',
      id: 'snap-1',
      snapshot: { source: 'tab-7', target: 'spotify', true_peak_dbtp: 1.2, integrated_lufs: -9, measured_seconds: 30 },
    });
    expect(await meter.next('ack', (m) => m.id === 'snap-1')).toMatchObject({ duplicate: false });
    const pushed = await panel.next('stream_findings');
    expect(pushed.analysis.changes.appeared.length).toBeGreaterThan(0);
    expect(JSON.stringify(pushed.analysis.findings)).toContain('1.2');
    meter.send({
      type: 'meter_snapshot',
      id: 'snap-2',
      snapshot: { source: 'tab-7', target: 'spotify', true_peak_dbtp: 9000 },
    });
    expect((await meter.next('error', (m) => m.id === 'snap-2')).error.message).toContain('snapshot.true_peak_dbtp');
    meter.close();
    panel.close();
  });
});
