import { ChatResponse, type ChatRequest, type ChatSource, type Perspective } from '../../shared/schemas/chat';
import type { TransportCommand } from '../../shared/schemas/transport';
import type { ChatMessage, KnowledgeHit } from '../../shared/schemas/persistence';
import type { Logger } from '../log';
import type { AnswerCache } from '../cache/answer-cache';
import { APPLIED_CHAT, type AppliedIds } from '../idempotency';
import type { CodetteStore } from '../store/types';
import type { Transport } from '../transport/transport';
import type { EngineData } from './engine';
import type { LlmChooser } from './llm/choice';
import { applyTransportCommand } from '../transport/apply';
import { classifyIntent, type Intent } from './understand/intent';
import { parseTransportCommands } from './understand/transport-phrases';
import { answerCalculation, calculationInFrench, frenchCalculationText } from './understand/calculations';
import { type MixReview, reviewMix, reviewMarkdownFr } from './answer/mix-review';
import { findKnowledge } from './understand/understand-question';
import { composeKnowledge } from './answer/knowledge-answer';
import { declineFollowUps, declineMarkdown } from './answer/decline';
import { isFollowUp, resolveConversation } from './follow-up';
import { helpAnswer } from './answer/help';
import { commandReply } from './answer/command-reply';
import { clarifyCommand } from './understand/command-text';
import { resolveCommandFollowUp } from './understand/command-follow-up';
import { normalise } from './understand/phrase-text';
import { searchText } from './understand/question-text';
import { type Lang, detectLanguage } from './understand/language';
import { groundedPrompt } from './llm/prompt';
import { LlmError } from './llm/openai-compatible';
import { streamModel } from './llm/choice';

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

/** What the chat engine uses of the server's services (a subset of Services, named without importing it). */
export interface ChatEngineDeps {
  store: CodetteStore;
  engine: EngineData;
  llm: LlmChooser;
  cache: AnswerCache;
  log: Logger;
  transport: Transport;
  appliedIds: AppliedIds;
}

/** Codette's chat: understands the message, answers from knowledge (or a local LLM grounded in it), acts, remembers. */
export class ChatEngine {
  constructor(private readonly services: ChatEngineDeps) {}

  /** One answer per client id: a copy that arrives while the first is answered gets that answer as a duplicate. */
  handle(request: ChatRequest, options: ChatOptions): Promise<ChatResult> {
    if (!options.clientId) return this.#handle(request, options);
    return this.services.appliedIds.joinFirst(
      `${APPLIED_CHAT.prefix}${options.userId}\u0000${options.clientId}`,
      () => this.#handle(request, options),
      ({ reply }) => {
        options.onDelta?.(reply.response);
        return { reply, duplicate: true };
      },
    );
  }

  async #handle(request: ChatRequest, options: ChatOptions): Promise<ChatResult> {
    const { store } = this.services;
    if (options.clientId) {
      const seen = await this.#stored(options.userId, options.clientId);
      if (seen) {
        options.onDelta?.(seen.response);
        return { reply: seen, duplicate: true };
      }
    }
    const { session, history, userMessage, resent } = await this.#record(request, options);
    const earlierTurns = history.filter((m) => m.role === 'user' && m.id !== userMessage.id).map((m) => m.content);
    const draft = await this.#draft(request, earlierTurns, resent, options);
    const answer = await store.appendMessage(options.userId, {
      session_id: session,
      role: 'assistant',
      content: draft.markdown,
      ...(options.clientId ? { client_id: `${options.clientId}:answer` } : {}),
      perspective: draft.perspective,
      confidence: draft.confidence,
      sources: draft.sources,
      actions: draft.actions,
      metadata: {
        follow_ups: draft.follow_ups,
        engine: draft.engine,
        intent: draft.intent,
        ...(draft.notice ? { notice: draft.notice } : {}),
      },
    });
    if (options.clientId)
      await this.services.appliedIds.remember(APPLIED_CHAT, options.clientId, {
        session_id: session,
        message_id: answer.message.id,
      });
    return { reply: toResponse(answer.message), duplicate: false };
  }

  /** The stored answer of a message already handled, if any. */
  async #stored(userId: string, clientId: string): Promise<ChatResponse | undefined> {
    const seen = await this.services.appliedIds.recall(APPLIED_CHAT, clientId);
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
      session = (
        await store.createSession(userId, {
          title,
          ...(request.perspective !== 'auto' ? { perspective: request.perspective } : {}),
        })
      ).id;
      created = session;
    }
    const history = request.session_id ? await store.listMessages(userId, session) : [];
    const appended = await store.appendMessage(userId, {
      session_id: session,
      role: 'user',
      content: request.message,
      ...(clientId ? { client_id: clientId } : {}),
    });
    if (!appended.created && created && appended.message.session_id !== created) {
      // A resend after a crash: the message lives in the session made the first time; drop the empty new one.
      await store.deleteSession(userId, created);
      session = appended.message.session_id;
    }
    return { session, history, userMessage: appended.message, resent: !appended.created };
  }

  async #draft(
    request: ChatRequest,
    earlierTurns: readonly string[],
    resent: boolean,
    options: ChatOptions,
  ): Promise<Draft> {
    const { transport } = this.services;
    const snapshot = transport.snapshot();
    // The DAW tab reports its own tempo with the question: relative commands ("a bit faster") start from it.
    const ctx = {
      bpm: request.daw_context?.bpm ?? snapshot.bpm,
      time_signature: snapshot.time_signature,
      position_seconds: snapshot.position.seconds,
    };
    const lang = detectLanguage(request.message);
    // A command acts on its own words; anything else may lean on the conversation ("and at 140?").
    // "and at 140?" after a question is a follow-up, not an order to change the tempo.
    const followUpQuestion = earlierTurns.length > 0 && isFollowUp(request.message) && /\?\s*$/.test(request.message);
    const alone = classifyIntent(request.message, ctx);
    // "turn it off" after "metronome on", "now 5 to 8" after a loop: the command the conversation makes of it.
    const leaning = alone.intent === 'transport' ? undefined : resolveCommandFollowUp(earlierTurns, request.message);
    const asCommand = leaning ? classifyIntent(leaning, ctx) : alone;
    const command = asCommand.intent === 'transport' && !followUpQuestion;
    const question = command ? (leaning ?? request.message) : resolveConversation(earlierTurns, request.message);
    // French calculations are read with the calculators' English words ("croche pointée à 120 bpm").
    const calcText = lang === 'fr' ? frenchCalculationText(question) : question;
    // French mix questions ("mon mix est-il trop fort pour spotify ?") are recognised in the knowledge's English words.
    const classifyText = lang === 'fr' ? searchText(question, 'fr') : question;
    const understood = command
      ? asCommand
      : calcText !== question && answerCalculation(calcText)
        ? classifyIntent(calcText, ctx)
        : classifyText === request.message && !followUpQuestion
          ? asCommand
          : withoutCommand(classifyIntent(classifyText, ctx));
    const perspective = request.perspective === 'auto' ? understood.perspective : request.perspective;
    const base = {
      perspective,
      intent: understood.intent,
      engine: 'local',
      sources: [] as ChatSource[],
      actions: [] as TransportCommand[],
    };

    const clarify =
      understood.intent === 'transport' ? undefined : clarifyCommand(normalise(request.message), lang === 'fr');
    if (clarify) {
      options.onDelta?.(clarify.question);
      return { ...base, intent: 'transport', markdown: clarify.question, confidence: 0.8, follow_ups: clarify.options };
    }
    switch (understood.intent) {
      case 'transport': {
        const parsed = parseTransportCommands(question, ctx);
        const actions: TransportCommand[] = [];
        // A resent message already moved the transport the first time: report, do not repeat.
        for (const command of parsed.commands) {
          if (!resent) await applyTransportCommand(this.services, command, { source: 'chat', client: options.userId });
          actions.push(command);
        }
        const reply = commandReply(actions, parsed.problems, ctx, lang);
        options.onDelta?.(reply.markdown);
        return {
          ...base,
          markdown: reply.markdown,
          actions,
          confidence: round2(understood.confidence * (actions.length ? 1 : 0.3)),
          follow_ups: reply.follow_ups,
        };
      }
      case 'calculation': {
        const calc = answerCalculation(calcText);
        if (calc) {
          const markdown = lang === 'fr' ? calculationInFrench(calc.answer_markdown) : calc.answer_markdown;
          options.onDelta?.(markdown);
          return { ...base, markdown, confidence: round2(understood.confidence), follow_ups: [] };
        }
        break;
      }
      case 'help': {
        const markdown = await helpAnswer(this.services);
        options.onDelta?.(markdown);
        return {
          ...base,
          markdown,
          confidence: round2(understood.confidence),
          follow_ups: ['How do I make my kick punch through?', 'Delay times at 128 bpm', 'Loop bars 5 to 8'],
        };
      }
      default:
        break;
    }
    const review = understood.intent === 'mix_question' ? reviewMix(question, request.daw_context) : undefined;
    const usedHistory = question !== request.message;
    const contextFree = !usedHistory && !review && !request.daw_context;
    if (this.services.llm.current())
      return this.#modelAnswer(question, lang, base, review, request, contextFree, options);
    const local = await this.#localAnswer(question, lang, review, contextFree);
    options.onDelta?.(local.markdown);
    return { ...base, ...local };
  }

  /** The built-in engine's answer. A context-free question is answered the same for everyone: cached whole. */
  async #localAnswer(question: string, lang: Lang, review: MixReview | undefined, contextFree: boolean) {
    const answer = () => this.#composeLocal(question, lang, review);
    return contextFree ? (await this.services.cache.wrap(answerCacheKey(lang, question), answer)).value : answer();
  }

  /** Understanding, ranking, then composition (or a plain decline); sources only when they really answer. */
  async #composeLocal(question: string, lang: Lang, review: MixReview | undefined) {
    const found = await findKnowledge(this.services.store, this.services.engine, question, lang);
    if (found.declined && !review) {
      return {
        markdown: declineMarkdown(lang),
        follow_ups: declineFollowUps(lang),
        confidence: found.confidence,
        sources: [],
      };
    }
    const composed = composeKnowledge({
      question,
      lang,
      facets: found.facets,
      ranking: found.ranking,
      entries: this.services.engine.entries,
      answerable: found.answerable,
      ...(found.bpm ? { bpm: found.bpm } : {}),
    });
    const reviewText = review ? (lang === 'fr' ? reviewMarkdownFr(review) : review.markdown) : undefined;
    return {
      markdown: reviewText ? `${reviewText}\n\n${composed.markdown}` : composed.markdown,
      follow_ups: composed.follow_ups,
      confidence: review ? round2(Math.max(found.confidence, 0.5 + 0.4 * review.completeness)) : found.confidence,
      sources: composed.sources.map(sourceOf),
    };
  }

  /** With a local LLM: the model writes from the retrieved entries; on any failure the built-in engine answers. */
  async #modelAnswer(
    question: string,
    lang: Lang,
    base: Pick<Draft, 'perspective' | 'intent' | 'engine' | 'actions'>,
    review: MixReview | undefined,
    request: ChatRequest,
    contextFree: boolean,
    options: ChatOptions,
  ): Promise<Draft> {
    const { store, engine } = this.services;
    const llm = this.services.llm.current()!;
    const found = await findKnowledge(store, engine, question, lang);
    const hits = found.ranking.ranked.slice(0, 3).map((r) => r.hit);
    try {
      let text = '';
      const messages = groundedPrompt(question, hits, base.perspective, request.daw_context, review?.markdown);
      for await (const delta of streamModel(llm, messages, options.signal)) {
        text += delta;
        options.onDelta?.(delta);
      }
      if (text.trim().length < 2) throw new LlmError('the model sent an empty answer');
      const composed = composeKnowledge({
        question,
        lang,
        facets: found.facets,
        ranking: found.ranking,
        entries: engine.entries,
        answerable: found.answerable,
      });
      return {
        ...base,
        engine: `llm:${llm.model}`,
        markdown: text,
        confidence: found.confidence,
        sources: hits.map(sourceOf),
        follow_ups: composed.follow_ups,
      };
    } catch (error) {
      const notice = `The local model could not answer (${error instanceof LlmError ? error.message : 'unexpected error'}); this answer comes from Codette's built-in engine.`;
      this.services.log.warn('llm fallback', { reason: (error as Error).message });
      const local = await this.#localAnswer(question, lang, review, contextFree);
      options.onDelta?.(`\n\n_${notice}_\n\n${local.markdown}`);
      return { ...base, ...local, notice };
    }
  }
}

/** A follow-up question is never a command, even when its words could be one ("and at 140?"). */
function withoutCommand(result: ReturnType<typeof classifyIntent>): ReturnType<typeof classifyIntent> {
  return result.intent === 'transport' ? { ...result, intent: 'knowledge' } : result;
}

const sourceOf = (hit: KnowledgeHit): ChatSource => ({ id: hit.id, title: hit.title, category: hit.category });

const answerCacheKey = (lang: Lang, question: string) =>
  `chat:${lang}:${question.trim().toLowerCase().replace(/\s+/g, ' ')}`;

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
