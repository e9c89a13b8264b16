import type { Hooks, Message, Peer } from 'crossws';
import { PROTOCOL_VERSION } from '../../shared/constants';
import { describeIssues, summariseIssues, type ErrorInfo } from '../../shared/schemas/errors';
import { ClientMessage, ClientMessageId, type ServerMessage } from '../../shared/schemas/ws';
import { toApiError } from '../http/errors';
import { checkHealth, type Services } from '../services';
import { applyTransportCommand } from '../transport/apply';
import { ACCESS_TOKEN_HEADER, resolveUserId } from '../users';
import { analyzeAndAnnounce } from '../analysis/stream';

/** A user's Supabase access token on the upgrade: a header from native clients, `?access_token=` from browsers. */
function accessTokenOf(peer: Peer): string | null {
  const request = peer.request as Request | undefined;
  if (!request) return null;
  return request.headers.get(ACCESS_TOKEN_HEADER) ?? new URL(request.url).searchParams.get('access_token');
}

/** The WebSocket protocol of /ws: hello on open, then typed messages both ways (see shared/schemas/ws.ts). */
export function createSocketHooks(services: Services): Partial<Hooks> {
  const { hub, transport, metrics, log } = services;

  const fail = (peer: Peer, error: ErrorInfo, id?: string) =>
    hub.send(peer, { type: 'error', ...(id ? { id } : {}), error });

  const handle = async (peer: Peer, msg: ClientMessage) => {
    switch (msg.type) {
      case 'ping':
        hub.send(peer, { type: 'pong', id: msg.id, t: msg.t, server_time_ms: Date.now() });
        return;
      case 'transport': {
        const result = await applyTransportCommand(services, msg.command, { source: 'ws', client: peer.id }, msg.id);
        if (msg.id) hub.send(peer, { type: 'ack', id: msg.id, duplicate: result.duplicate });
        return;
      }
      case 'daw_report': {
        const fresh = msg.id === undefined || (await services.appliedIds.claim(msg.id));
        if (fresh) transport.report(msg.report, { source: 'daw', client: peer.id });
        if (fresh && msg.id) await services.appliedIds.commit(msg.id);
        if (msg.id) hub.send(peer, { type: 'ack', id: msg.id, duplicate: !fresh });
        return;
      }
      case 'subscribe':
      case 'unsubscribe': {
        const topics = hub.subscribe(peer, msg.topics, msg.type === 'subscribe');
        hub.send(peer, { type: 'subscribed', id: msg.id, topics });
        if (msg.type === 'subscribe' && msg.topics.includes('status'))
          hub.send(peer, { type: 'server_status', health: await checkHealth(services) });
        return;
      }
      case 'status':
        hub.send(peer, { type: 'transport_state', state: transport.snapshot() });
        hub.send(peer, { type: 'server_status', health: await checkHealth(services) });
        if (msg.id) hub.send(peer, { type: 'ack', id: msg.id, duplicate: false });
        return;
      case 'chat': {
        const userId = await resolveUserId({ token: accessTokenOf(peer) }, services);
        const { reply, duplicate } = await services.chat.handle(msg.request, {
          userId,
          clientId: msg.id,
          onDelta: (delta) => hub.send(peer, { type: 'chat_delta', id: msg.id, delta }),
        });
        hub.send(peer, { type: 'chat_reply', id: msg.id, reply });
        hub.send(peer, { type: 'ack', id: msg.id, duplicate });
        return;
      }
      case 'meter_snapshot': {
        const analysis = analyzeAndAnnounce(services, msg.snapshot);
        if (msg.id) hub.send(peer, { type: 'ack', id: msg.id, duplicate: false });
        // The sender gets the findings even when it did not subscribe to 'analysis'.
        if (!hub.subscribed(peer, 'analysis')) hub.send(peer, { type: 'stream_findings', analysis });
        return;
      }
      case 'feedback': {
        const userId = await resolveUserId({ token: accessTokenOf(peer) }, services);
        const { created } = await services.store.addFeedback(userId, { ...msg.feedback, client_id: msg.id });
        hub.send(peer, { type: 'ack', id: msg.id, duplicate: !created });
        return;
      }
    }
  };

  // Messages of one connection are handled one after the other, so that they are applied in the order sent.
  const queues = new WeakMap<Peer, Promise<void>>();
  /** The extension's sockets hear about web pages asking for access (the user answers there); nobody else does. */
  const accessListeners = new WeakMap<Peer, () => void>();
  const stopAccessEvents = (peer: Peer) => {
    accessListeners.get(peer)?.();
    accessListeners.delete(peer);
  };

  return {
    open(peer) {
      hub.add(peer, ['transport']);
      const hello: ServerMessage = {
        type: 'hello',
        server: { name: 'codette', version: services.version, protocol: PROTOCOL_VERSION },
        connection_id: peer.id,
        transport: transport.snapshot(),
      };
      hub.send(peer, hello);
      const origin = (peer.request as Request | undefined)?.headers.get('origin') ?? null;
      if (services.guard.isTrustedExtension(origin))
        accessListeners.set(
          peer,
          services.access.onEvent((event) => hub.send(peer, event)),
        );
      log.debug('ws open', { peer: peer.id });
    },
    async message(peer, message: Message) {
      metrics.wsIn += 1;
      // A client over its message rate gets nothing done and, once a second, an error saying so.
      const admission = hub.admit(peer);
      if (admission !== 'ok') {
        metrics.wsRefused += 1;
        if (admission === 'refused_warn') {
          fail(peer, {
            code: 'rate_limited',
            message:
              'Too many messages: this connection may send 200 a second on average. Messages over that were dropped; send them again later.',
          });
        }
        return;
      }
      if (typeof message.rawData !== 'string') {
        fail(peer, {
          code: 'binary_not_supported',
          message: 'Send JSON text frames; binary frames are not part of the protocol.',
        });
        return;
      }
      let data: unknown;
      try {
        data = JSON.parse(message.rawData);
      } catch (error) {
        fail(peer, { code: 'invalid_json', message: `The message is not valid JSON: ${(error as Error).message}.` });
        return;
      }
      // An id is echoed only when it is one the protocol accepts, so that the error itself stays a valid message.
      const claimedId = ClientMessageId.safeParse((data as { id?: unknown } | null)?.id);
      const id = claimedId.success ? claimedId.data : undefined;
      const parsed = ClientMessage.safeParse(data);
      if (!parsed.success) {
        const issues = describeIssues(parsed.error.issues);
        const unknownType = issues.some((i) => i.field === 'type');
        fail(
          peer,
          { code: unknownType ? 'unknown_type' : 'invalid_message', message: summariseIssues(issues), details: issues },
          id,
        );
        return;
      }
      const run = async () => {
        try {
          await handle(peer, parsed.data);
        } catch (error) {
          const { api, unexpected } = toApiError(error);
          if (unexpected) log.error('ws message failed', { peer: peer.id, type: parsed.data.type, err: String(error) });
          fail(peer, { code: api.code, message: api.message, details: api.details }, id);
        }
      };
      const next = (queues.get(peer) ?? Promise.resolve()).then(run);
      queues.set(peer, next);
      await next;
    },
    pong(peer) {
      hub.pong(peer);
    },
    close(peer, details) {
      hub.remove(peer);
      stopAccessEvents(peer);
      log.debug('ws close', { peer: peer.id, code: details.code });
    },
    error(peer, error) {
      hub.remove(peer);
      stopAccessEvents(peer);
      log.warn('ws error', { peer: peer.id, err: error.message });
    },
  };
}

/** Pushes every transport change at once, position ticks at `tickHz` while playing, and status every 5 s to those who asked. */
export function startBroadcasts(services: Services): () => void {
  const { hub, transport, settings } = services;
  let ticker: NodeJS.Timeout | undefined;
  const tick = () => {
    if (!hub.hasSubscribers('transport')) return;
    hub.broadcast('transport', {
      type: 'transport_tick',
      position: transport.snapshot().position,
      revision: transport.revision,
      server_time_ms: Date.now(),
    });
  };
  const offChange = transport.onChange(({ state, command }) => {
    hub.broadcast('transport', { type: 'transport_state', state, ...(command ? { command } : {}) });
    if (state.playing && !ticker) {
      ticker = setInterval(tick, 1000 / settings.tickHz);
      ticker.unref();
    } else if (!state.playing && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  });
  const stopHeartbeat = hub.startHeartbeat(settings.wsIdleTimeoutSeconds);
  const status = setInterval(async () => {
    if (hub.hasSubscribers('status'))
      hub.broadcast('status', { type: 'server_status', health: await checkHealth(services) });
  }, 5000);
  status.unref();
  return () => {
    stopHeartbeat();
    offChange();
    clearInterval(status);
    if (ticker) clearInterval(ticker);
  };
}
