import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ChatRequestInput, FeedbackRequest, Perspective } from '../../shared/schemas/chat';
import type { TransportCommandInput, TransportPosition } from '../../shared/schemas/transport';
import type { LocalChat } from '../../shared/schemas/extension';
import { formatPosition } from '../lib/format';
import type { FromUi, ToUi, UiSnapshot } from '../lib/messages';

export type Sender = (msg: FromUi) => void;

/** The background's view of the world, pushed over the UI port, and the way back. */
export const useCodetteStore = defineStore('codette', () => {
  const snapshot = shallowRef<UiSnapshot | null>(null);
  const tick = shallowRef<{ position: TransportPosition; revision: number } | null>(null);
  const sessions = ref<LocalChat[]>([]);
  const currentId = ref<string | null>(null);
  /** Replies being streamed, by client message id. */
  const streaming = ref<Record<string, string>>({});
  const perspective = ref<Perspective | 'auto'>('auto');
  let sender: Sender = () => undefined;

  function connect(send: Sender) {
    sender = send;
  }

  function receive(msg: ToUi) {
    switch (msg.type) {
      case 'snapshot':
        snapshot.value = msg.snapshot;
        if (msg.snapshot.transport && (!tick.value || tick.value.revision < msg.snapshot.transport.revision))
          tick.value = null;
        break;
      case 'tick':
        tick.value = { position: msg.position, revision: msg.revision };
        break;
      case 'chat_delta':
        streaming.value = { ...streaming.value, [msg.id]: (streaming.value[msg.id] ?? '') + msg.delta };
        break;
      case 'chat_session': {
        const i = sessions.value.findIndex((s) => s.id === msg.session.id);
        if (i >= 0) sessions.value.splice(i, 1, msg.session);
        else sessions.value.unshift(msg.session);
        currentId.value = msg.session.id;
        const answered = new Set(msg.session.messages.filter((m) => m.role === 'assistant').map((m) => m.id));
        streaming.value = Object.fromEntries(Object.entries(streaming.value).filter(([id]) => !answered.has(id)));
        break;
      }
      case 'chat_sessions':
        sessions.value = msg.sessions;
        currentId.value = msg.currentId;
        break;
    }
  }

  const connection = computed(() => snapshot.value?.connection ?? null);
  const daw = computed(() => snapshot.value?.daw ?? null);
  const pendingIds = computed(() => new Set((snapshot.value?.outbox ?? []).map((o) => o.id)));
  const waitingIds = computed(() => new Set((snapshot.value?.outbox ?? []).filter((o) => o.waiting).map((o) => o.id)));
  const current = computed(() => sessions.value.find((s) => s.id === currentId.value) ?? null);

  /** What the DAW in the active tab really does, completed by the server's transport where the page shows nothing. */
  const transport = computed(() => {
    const server = snapshot.value?.transport ?? null;
    const seen = daw.value?.observed ?? {};
    const position = tick.value?.position ?? server?.position ?? null;
    const bpm = seen.bpm ?? server?.bpm ?? 120;
    const timeSignature = seen.time_signature ?? server?.time_signature ?? { numerator: 4, denominator: 4 };
    return {
      known: !!server || !!daw.value,
      playing: seen.playing ?? server?.playing ?? false,
      recording: seen.recording ?? server?.recording ?? false,
      bpm,
      timeSignature,
      loop: {
        enabled: seen.loop?.enabled ?? server?.loop.enabled ?? false,
        start: seen.loop?.start_seconds ?? server?.loop.start_seconds ?? 0,
        end: seen.loop?.end_seconds ?? server?.loop.end_seconds ?? 0,
      },
      metronome: seen.metronome ?? server?.metronome ?? false,
      seconds: seen.position_seconds ?? position?.seconds ?? 0,
      // Where the DAW shows its own clock (stopped or paused), bars and time both come from it.
      bars:
        seen.position_seconds !== undefined
          ? formatPosition(seen.position_seconds, bpm, timeSignature)
          : (position?.display ?? '1.1.000'),
      source: daw.value ? 'daw' : server ? 'server' : 'none',
    };
  });

  return {
    snapshot,
    tick,
    sessions,
    currentId,
    streaming,
    perspective,
    connection,
    daw,
    pendingIds,
    waitingIds,
    current,
    transport,
    connect,
    receive,
    send: (msg: FromUi) => sender(msg),
    command: (command: TransportCommandInput) => sender({ type: 'transport', command }),
    retry: () => sender({ type: 'retry' }),
    ask(message: string, daw_context?: ChatRequestInput['daw_context']) {
      const sessionId = currentId.value ?? crypto.randomUUID();
      currentId.value = sessionId;
      sender({
        type: 'chat_send',
        sessionId,
        request: { message, perspective: perspective.value, ...(daw_context ? { daw_context } : {}) },
      });
    },
    newChat: () => sender({ type: 'chat_new' }),
    select: (sessionId: string) => sender({ type: 'chat_select', sessionId }),
    rate(sessionId: string, feedback: FeedbackRequest) {
      sender({ type: 'feedback', sessionId, feedback });
    },
    dismiss: (noticeId: string) => sender({ type: 'dismiss', noticeId }),
  };
});
