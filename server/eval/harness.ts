/**
 * Codette's real chat path in this process: the ChatEngine that POST /codette/chat calls, over a real embedded
 * SQLite store in a temporary folder, each question on a fresh transport (120 BPM, 4/4, stopped at 0).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatRequest, type ChatResponse, type DawContext } from '../../shared/schemas/chat';
import { loadSettings } from '../config';
import { createLogger } from '../log';
import { createServices, type Services } from '../services';
import { openStore, readKnowledge } from '../store/open';
import { loadEngineData } from '../engine/engine';
import { Transport } from '../transport/transport';

export interface Asked {
  reply: ChatResponse;
  /** Time of the last turn only, in ms. */
  ms: number;
}

export interface EvalHarness {
  ask(question: string, options?: { history?: string[]; daw_context?: DawContext }): Promise<Asked>;
  close(): Promise<void>;
}

export async function openHarness(): Promise<EvalHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'codette-eval-'));
  const settings = loadSettings({ CODETTE_DATA_DIR: dataDir, CODETTE_LOG_LEVEL: 'silent', CODETTE_PORT: '0' });
  const knowledge = readKnowledge() ?? [];
  const store = await openStore({ dataDir, knowledge });
  const services: Services = createServices(
    settings,
    createLogger('silent', () => undefined),
    store,
    loadEngineData(knowledge),
  );
  const userId = '00000000-0000-4000-8000-000000000001';
  return {
    async ask(question, options = {}) {
      services.transport = new Transport();
      let session: string | undefined;
      for (const turn of options.history ?? []) {
        const { reply } = await services.chat.handle(
          ChatRequest.parse({
            message: turn,
            ...(session ? { session_id: session } : {}),
            ...(options.daw_context ? { daw_context: options.daw_context } : {}),
          }),
          { userId },
        );
        session = reply.session_id;
      }
      const request = ChatRequest.parse({
        message: question,
        ...(session ? { session_id: session } : {}),
        ...(options.daw_context ? { daw_context: options.daw_context } : {}),
      });
      const started = performance.now();
      const { reply } = await services.chat.handle(request, { userId });
      return { reply, ms: performance.now() - started };
    },
    async close() {
      services.metricsRollup.close();
      await store.close();
      services.metrics.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
