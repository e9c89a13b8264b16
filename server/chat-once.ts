import type { ChatRequest } from '../shared/schemas/chat';
import type { ChatOptions, ChatResult } from './engine/chat';

export interface ChatHandler {
  handle(request: ChatRequest, options: ChatOptions): Promise<ChatResult>;
}

/**
 * One answer per client id at a time. Copies of a message that arrive while its first copy is being answered (a
 * resend racing the original, the same outbox on two sockets) wait for that answer and get it as a duplicate, so
 * exactly one acknowledgement says `duplicate: false`. Copies that arrive later are the engine's to recognise.
 */
export class OneChatPerId implements ChatHandler {
  readonly #answering = new Map<string, Promise<ChatResult>>();

  constructor(private readonly engine: ChatHandler) {}

  handle(request: ChatRequest, options: ChatOptions): Promise<ChatResult> {
    if (!options.clientId) return this.engine.handle(request, options);
    const key = `${options.userId}\u0000${options.clientId}`;
    const first = this.#answering.get(key);
    if (first) {
      return first.then(
        ({ reply }) => {
          options.onDelta?.(reply.response);
          return { reply, duplicate: true };
        },
        // The first copy failed (a locked database...): this one is a fresh try.
        () => this.handle(request, options),
      );
    }
    const answer = this.engine.handle(request, options);
    this.#answering.set(key, answer);
    const done = () => this.#answering.delete(key);
    answer.then(done, done);
    return answer;
  }
}
