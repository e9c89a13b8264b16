import { ChatResponse, type ChatRequest, type ChatSource, type Perspective } from '../../shared/schemas/chat';
import type { TransportCommand, TransportState } from '../../shared/schemas/transport';
import type { ChatMessage, KnowledgeHit } from '../../shared/schemas/persistence';
import type { Services } from '../services';
import { applyTransportCommand } from '../transport/apply';
import { toMusicalPosition } from '../transport/musical-time';
import { classifyIntent, type Intent } from './understand/intent';
import { parseTransportCommands } from './understand/transport-phrases';
import { answerCalculation } from './understand/calculations';
import { retrieve } from './retrieval/retrieve';
import { composeAnswer, WEAK_MATCH } from './answer/compose';
import { reviewMix } from './answer/mix-review';
import { isFollowUp, resolveFollowUp } from './follow-up';
import { helpAnswer } from './answer/help';
import { groundedPrompt } from './llm/prompt';
import { LlmError, streamCompletion } from './llm/openai-compatible';

export interface ChatOptions {
  userId: string;
  /** The client's id for this message (WebSocket id or Idempotency-Key): a resend gets the stored answer. */
  clientId?: string;
  /** Receives the answer as it is produced. */
  onDelta?: (text: string) => void;
  signal?: AbortSignal;
}

export interface ChatResult {
  reply: ChatResponse;
  /** True when the client id was seen before: the stored answer, nothing applied again. */
  duplicate: boolean;
}

interface Draft {
  markdown: string;
  confidence: number;
  /** What the reply cites: id, title and category (the entries' text stays out of the cache and the database). */
  sources: ChatSource[];
  actions: TransportCommand[];
  follow_ups: string[];
  perspective: Perspective;
  intent: Intent;
  notice?: string;
  engine: string;
}

const round2 = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 100) / 100;
const rememberKey = (clientId: string) => `chat:${clientId}`;

/** Codette's chat: understands the message, answers from knowledge (or a local LLM grounded in it), acts, remembers. */
export class ChatEngine {
  constructor(private readonly services: Omit<Services, 'chat'>) {}

  async handle(request: ChatRequest, options: ChatOptions): Promise<ChatResult> {
    const { store } = this.services;
    if (options.clientId) {
      const seen = await this.#stored(options.userId, options.clientId);
      if (seen) {
        options.onDelta?.(seen.response);
        return { reply: seen, duplicate: true };
      }
    }
    const { session, history, userMessage, resent } = await this.#record(request, options);
    const previous = [...history].reverse().find((m) => m.role === 'user' && m.id !== userMessage.id)?.content;
    const draft = await this.#draft(request, previous, resent, options);
    const answer = await store.appendMessage(options.userId, {
      session_id: session,
      role: 'assistant',
      content: draft.markdown,
      ...(options.clientId ? { client_id: `${options.clientId}:answer` } : {}),
      perspective: draft.perspective,
      confidence: draft.confidence,
      sources: draft.sources,
      actions: draft.actions,
      metadata: { follow_ups: draft.follow_ups, engine: draft.engine, intent: draft.intent, ...(draft.notice ? { notice: draft.notice } : {}) },
    });
    if (options.clientId) await store.rememberClientId(rememberKey(options.clientId), { session_id: session, message_id: answer.message.id });
    return { reply: toResponse(answer.message), duplicate: false };
  }

  /** The stored answer of a message already handled, if any. */
  async #stored(userId: string, clientId: string): Promise<ChatResponse | undefined> {
    const seen = (await this.services.store.lookupClientId(rememberKey(clientId))) as { session_id: string; message_id: string } | null;
    if (!seen) return undefined;
    const messages = await this.services.store.listMessages(userId, seen.session_id).catch(() => []);
    const message = messages.find((m) => m.id === seen.message_id);
    return message ? toResponse(message) : undefined;
  }

  /** Stores the user's message (once per client id) in the given or a new session; returns the session's history. */
  async #record(request: ChatRequest, options: ChatOptions) {
    const { store } = this.services;
    const { userId, clientId } = options;
    let session = request.session_id;
    let created: string | undefined;
    if (!session) {
      const title = request.message.length > 60 ? `${request.message.slice(0, 57)}…` : request.message;
      session = (await store.createSession(userId, { title, ...(request.perspective !== 'auto' ? { perspective: request.perspective } : {}) })).id;
      created = session;
    }
    const history = request.session_id ? await store.listMessages(userId, session) : [];
    const appended = await store.appendMessage(userId, { session_id: session, role: 'user', content: request.message, ...(clientId ? { client_id: clientId } : {}) });
    if (!appended.created && created && appended.message.session_id !== created) {
      // A resend after a crash: the message lives in the session made the first time; drop the empty new one.
      await store.deleteSession(userId, created);
      session = appended.message.session_id;
    }
    return { session, history, userMessage: appended.message, resent: !appended.created };
  }

  async #draft(request: ChatRequest, previous: string | undefined, resent: boolean, options: ChatOptions): Promise<Draft> {
    const { transport } = this.services;
    const snapshot = transport.snapshot();
    const ctx = { bpm: snapshot.bpm, time_signature: snapshot.time_signature, position_seconds: snapshot.position.seconds };
    const understood = classifyIntent(request.message, ctx);
    const perspective = request.perspective === 'auto' ? understood.perspective : request.perspective;
    const base = { perspective, intent: understood.intent, engine: 'local', sources: [] as ChatSource[], actions: [] as TransportCommand[] };

    switch (understood.intent) {
      case 'transport': {
        const parsed = parseTransportCommands(request.message, ctx);
        const actions: TransportCommand[] = [];
        // A resent message already moved the transport the first time: report, do not repeat.
        for (const command of parsed.commands) {
          if (!resent) await applyTransportCommand(this.services, command, { source: 'chat', client: options.userId });
          actions.push(command);
        }
        const now = transport.snapshot();
        const done = actions.map((c) => describeCommand(c, now));
        const markdown = [done.length ? `Done: ${done.join(', then ')}.` : "I couldn't turn that into a transport command.", ...parsed.problems.map((p) => `- ${p}`)].join('\n');
        const draft = { ...base, markdown, actions, confidence: round2(understood.confidence * (actions.length ? 1 : 0.3)), follow_ups: ['Loop bars 1 to 4', 'Metronome on'] };
        options.onDelta?.(markdown);
        return draft;
      }
      case 'calculation': {
        const calc = answerCalculation(request.message);
        if (calc) {
          options.onDelta?.(calc.answer_markdown);
          return { ...base, markdown: calc.answer_markdown, confidence: round2(understood.confidence), follow_ups: [] };
        }
        break;
      }
      case 'help': {
        const markdown = await helpAnswer(this.services);
        options.onDelta?.(markdown);
        return { ...base, markdown, confidence: round2(understood.confidence), follow_ups: ['How do I make my kick punch through?', 'Delay times at 128 bpm', 'Loop bars 5 to 8'] };
      }
      default:
        break;
    }
    const question = previous && isFollowUp(request.message) ? resolveFollowUp(previous, request.message, this.services.engine.subjectStems) : request.message;
    const review = understood.intent === 'mix_question' ? reviewMix(request.message, request.daw_context) : undefined;
    return this.#knowledgeAnswer(question, perspective, base, review, request, previous !== undefined && question !== request.message, options);
  }

  async #knowledgeAnswer(
    question: string,
    perspective: Perspective,
    base: Pick<Draft, 'perspective' | 'intent' | 'engine' | 'actions'>,
    review: ReturnType<typeof reviewMix>,
    request: ChatRequest,
    usedHistory: boolean,
    options: ChatOptions,
  ): Promise<Draft> {
    const contextFree = !usedHistory && !review && !request.daw_context;
    if (this.services.settings.llm) return this.#modelAnswer(question, perspective, base, review, request, contextFree, options);
    const local = await this.#localAnswer(question, perspective, review, contextFree);
    options.onDelta?.(local.markdown);
    return { ...base, ...local };
  }

  /** The built-in engine's answer. A context-free question is answered the same for everyone: cached whole. */
  async #localAnswer(question: string, perspective: Perspective, review: ReturnType<typeof reviewMix>, contextFree: boolean) {
    const answer = () => this.#composeLocal(question, perspective, review);
    return contextFree ? (await this.services.cache.wrap(answerCacheKey(perspective, question), answer)).value : answer();
  }

  /** Retrieval, then composition; sources only when they really answer. */
  async #composeLocal(question: string, perspective: Perspective, review: ReturnType<typeof reviewMix>) {
    const found = await retrieve(this.services.store, this.services.engine.synonyms, question, 3);
    const composed = composeAnswer(found.hits, found.coverage, perspective);
    // The review of measured figures is the answer; a weak knowledge match would only append "no grounded answer".
    if (review && found.coverage < WEAK_MATCH) {
      return { markdown: review.markdown, follow_ups: composed.follow_ups, confidence: round2(0.5 + 0.45 * review.completeness), sources: [] };
    }
    return {
      markdown: review ? `${review.markdown}\n\n${composed.markdown}` : composed.markdown,
      follow_ups: composed.follow_ups,
      confidence: confidenceOf(found.coverage, review),
      sources: found.coverage < WEAK_MATCH ? [] : found.hits.map(sourceOf),
    };
  }

  /** With a local LLM: the model writes from the retrieved entries; on any failure the built-in engine answers. */
  async #modelAnswer(
    question: string,
    perspective: Perspective,
    base: Pick<Draft, 'perspective' | 'intent' | 'engine' | 'actions'>,
    review: ReturnType<typeof reviewMix>,
    request: ChatRequest,
    contextFree: boolean,
    options: ChatOptions,
  ): Promise<Draft> {
    const { settings, store, engine } = this.services;
    const llm = settings.llm!;
    const found = await retrieve(store, engine.synonyms, question, 3);
    try {
      let text = '';
      const messages = groundedPrompt(question, found.hits, perspective, request.daw_context, review?.markdown);
      for await (const delta of streamCompletion(llm, messages, options.signal)) {
        text += delta;
        options.onDelta?.(delta);
      }
      if (text.trim().length < 2) throw new LlmError('the model sent an empty answer');
      const follow_ups = composeAnswer(found.hits, found.coverage, perspective).follow_ups;
      return { ...base, engine: `llm:${llm.model}`, markdown: text, confidence: confidenceOf(found.coverage, review), sources: found.hits.map(sourceOf), follow_ups };
    } catch (error) {
      const notice = `The local model could not answer (${error instanceof LlmError ? error.message : 'unexpected error'}); this answer comes from Codette's built-in engine.`;
      this.services.log.warn('llm fallback', { reason: (error as Error).message });
      const local = await this.#localAnswer(question, perspective, review, contextFree);
      options.onDelta?.(`\n\n_${notice}_\n\n${local.markdown}`);
      return { ...base, ...local, sources: found.hits.map(sourceOf), notice };
    }
  }
}

const sourceOf = (hit: KnowledgeHit): ChatSource => ({ id: hit.id, title: hit.title, category: hit.category });

const answerCacheKey = (perspective: Perspective, question: string) => `chat:${perspective}:${question.trim().toLowerCase().replace(/\s+/g, ' ')}`;

/** From how much of the question the best entry covers; a mix review counts with how many figures it had. */
function confidenceOf(coverage: number, review: ReturnType<typeof reviewMix>): number {
  const matched = coverage >= WEAK_MATCH ? coverage : coverage / 2;
  return round2(0.15 + 0.8 * matched * (review ? 0.5 + 0.5 * review.completeness : 1));
}

/** What a command did, in a musician's terms: positions and loops in bars.beats at the transport's tempo. */
function describeCommand(c: TransportCommand, at: Pick<TransportState, 'bpm' | 'time_signature'>): string {
  const barsBeats = (seconds: number) => {
    const p = toMusicalPosition(seconds, at.bpm, at.time_signature);
    return `${p.bar}.${p.beat}`;
  };
  switch (c.action) {
    case 'seek':
      return c.bar !== undefined ? `moved to bar ${c.bar}${c.beat ? ` beat ${c.beat}` : ''}` : `moved to ${c.time_seconds} s`;
    case 'tempo':
      return `tempo set to ${c.bpm} BPM`;
    case 'loop':
      return c.enabled
        ? `loop on${c.start_seconds !== undefined && c.end_seconds !== undefined ? ` (${barsBeats(c.start_seconds)}–${barsBeats(c.end_seconds)})` : ''}`
        : 'loop off';
    case 'record':
      return c.enabled ? 'recording' : 'recording stopped';
    case 'metronome':
      return `metronome ${c.enabled ? 'on' : 'off'}`;
    case 'time_signature':
      return `time signature ${c.numerator}/${c.denominator}`;
    default:
      return { play: 'playing', pause: 'paused', resume: 'resumed', stop: 'stopped' }[c.action];
  }
}

/** A stored assistant message back into the reply shape, validated: the database is outside input too. */
function toResponse(message: ChatMessage): ChatResponse {
  const meta = message.metadata;
  return ChatResponse.parse({
    response: message.content,
    perspective: message.perspective ?? 'mix_engineering',
    confidence: message.confidence ?? 0,
    sources: message.sources,
    actions: message.actions,
    follow_ups: meta.follow_ups ?? [],
    session_id: message.session_id,
    message_id: message.id,
    engine: meta.engine ?? 'local',
    ...(typeof meta.notice === 'string' ? { notice: meta.notice } : {}),
  });
}
