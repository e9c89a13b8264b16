/**
 * The AudioWorklet side of the live meters: runs MeterEngine on every 128-sample quantum on the audio thread and posts
 * a snapshot to the owning page ten times a second. Bundled on its own (esbuild, see wxt.config.ts) to
 * /meter-worklet.js, because a worklet module cannot import the extension's chunks.
 * Loaded by the offscreen document (Chrome, tab capture) and by the page hook (Firefox, the page's AudioContext).
 */
import { METER_PROCESSOR, MeterEngine } from '../../lib/meters-engine';

declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}
declare function registerProcessor(name: string, ctor: new (options?: unknown) => AudioWorkletProcessor): void;
declare const sampleRate: number;

class CodetteMeterProcessor extends AudioWorkletProcessor {
  private engine: MeterEngine | null = null;
  private stopped = false;

  constructor(options?: unknown) {
    super(options);
    this.port.onmessage = (e: MessageEvent) => {
      const type = (e.data as { type?: string } | null)?.type;
      if (type === 'reset') {
        this.engine?.reset();
        this.port.postMessage({ type: 'reset_done' });
      } else if (type === 'stop') {
        this.stopped = true;
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const input = inputs[0];
    if (!input || input.length === 0 || !input[0]) return true;
    const engine = (this.engine ??= new MeterEngine(sampleRate, Math.min(2, input.length)));
    if (engine.push(input, input[0].length)) this.port.postMessage({ type: 'snapshot', snapshot: engine.snapshot() });
    return true;
  }
}

registerProcessor(METER_PROCESSOR, CodetteMeterProcessor);
