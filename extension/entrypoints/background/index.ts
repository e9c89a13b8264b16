import { browser, type Browser } from 'wxt/browser';
import type { TransportCommandInput, TransportState } from '../../../shared/schemas/transport';
import type { ServerMessage } from '../../../shared/schemas/ws';
import { badgeFor } from '../../lib/badge';
import { ChatHistory } from '../../lib/chat-history';
import { ConnectionManager, type SocketFactory } from '../../lib/connection';
import type {
  DawTabInfo,
  FromDaw,
  FromUi,
  Notice,
  SiteRequest,
  TeachState,
  ToDaw,
  ToUi,
  UiSnapshot,
} from '../../lib/messages';
import { DAW_PORT, UI_PORT } from '../../lib/messages';
import { describeDropped, Outbox, type DroppedEntry } from '../../lib/outbox';
import { installMeters } from '../../lib/meters-background';
import { loadSettings, SETTINGS_KEY } from '../../lib/settings';
import { storageAreaStore } from '../../lib/storage';
import { applyAccessEvent, decideAccess, listAccess, stillWaiting } from '../../lib/web-access';
import type { AccessDecision, PendingAccess } from '../../../shared/api/access';
import { checkReport, ReportGate } from './report-gate';
import { SITE_PERMISSIONS_KEY, SitePermissions, senderOrigin } from './site-permissions';
import { syncSiteScripts } from './sites';

type Port = Browser.runtime.Port;

const ACCESS_BADGE = (waiting: number) => ({ text: `${waiting}?`, color: '#6b4fd8' });

const browserSocket: SocketFactory = (url, h) => {
  const ws = new WebSocket(url);
  ws.onopen = () => h.open();
  ws.onmessage = (e) => h.message(typeof e.data === 'string' ? e.data : '');
  ws.onclose = (e) => h.close(e.code, e.reason);
  ws.onerror = () => h.error();
  return ws;
};

export default defineBackground({
  type: 'module',
  main() {
    const store = storageAreaStore(browser.storage.local);
    const outbox = new Outbox(store);
    const history = new ChatHistory(store);
    const ports = new Set<Port>();
    const dawTabs = new Map<number, DawTabInfo>();
    let activeDawTab: number | null = null;
    let transport: TransportState | null = null;
    let notices: Notice[] = [];
    let siteRequest: SiteRequest | null = null;
    let teach: TeachState | null = null;
    let accessRequests: PendingAccess[] = [];
    let accessProblem: string | null = null;
    const permissions = new SitePermissions(store);
    const permissionsReady = loadSettings(store).then((s) => permissions.load(s.sites));

    const snapshot = (): UiSnapshot => ({
      connection: manager.status,
      transport,
      daw: activeDawTab !== null ? (dawTabs.get(activeDawTab) ?? null) : null,
      outbox: outbox.entries.map((e) => ({
        id: e.id,
        type: e.message.type,
        createdAt: e.createdAt,
        ...(e.waiting ? { waiting: e.waiting } : {}),
      })),
      notices,
      siteRequest,
      teach,
      accessRequests: stillWaiting(accessRequests, Date.now()),
      accessProblem,
    });
    const post = (msg: ToUi) => {
      for (const p of ports) {
        try {
          p.postMessage(msg);
        } catch {
          ports.delete(p);
        }
      }
    };
    let pushQueued = false;
    const push = () => {
      if (pushQueued) return;
      pushQueued = true;
      queueMicrotask(() => {
        pushQueued = false;
        post({ type: 'snapshot', snapshot: snapshot() });
      });
    };

    let lastBadge = '';
    const updateBadge = () => {
      // A web page waiting for the user's Allow / Deny shows first: the panel and the popup may both be closed.
      const b = accessRequests.length ? ACCESS_BADGE(accessRequests.length) : badgeFor(manager.status);
      const key = b.text + b.color;
      if (key === lastBadge) return;
      lastBadge = key;
      void browser.action.setBadgeText({ text: b.text }).catch(() => undefined);
      void browser.action.setBadgeBackgroundColor({ color: b.color }).catch(() => undefined);
    };

    const notify = (dropped: DroppedEntry[]) => {
      const now = Date.now();
      const expired = dropped.filter((d) => d.reason !== 'rejected');
      // Which messages will never arrive, in words the user recognises (the question, the command).
      const what = describeDropped(expired, now)
        .entries.map((e) => e.summary)
        .join(' · ');
      if (expired.length)
        notices.push({ id: `n-${now}-e`, kind: 'expired', count: expired.length, detail: what, at: now });
      for (const d of dropped.filter((d) => d.reason === 'rejected'))
        notices.push({ id: `n-${now}-${d.entry.id}`, kind: 'rejected', detail: d.detail, at: now });
      notices = notices.slice(-10);
      push();
    };

    const onServer = (msg: ServerMessage) => {
      switch (msg.type) {
        case 'hello':
          transport = msg.transport;
          void reportActiveDaw('query');
          void loadAccessRequests();
          push();
          break;
        case 'access_request':
        case 'access_settled':
          accessRequests = applyAccessEvent(accessRequests, msg);
          updateBadge();
          push();
          break;
        case 'transport_state':
          transport = msg.state;
          // Commands from any other client (REST, another socket, a chat answer) reach the DAW tab. Ours were
          // carried out locally the moment the user pressed the button.
          if (
            msg.command &&
            msg.state.changed_by.source !== 'daw' &&
            msg.state.changed_by.client !== manager.status.connectionId
          ) {
            void toDaw(msg.command);
          }
          push();
          break;
        case 'transport_tick':
          post({ type: 'tick', position: msg.position, revision: msg.revision });
          break;
        case 'chat_delta':
          post({ type: 'chat_delta', id: msg.id, delta: msg.delta });
          break;
        case 'chat_reply':
          void history
            .addReply(msg.id, msg.reply)
            .then((session) => session && post({ type: 'chat_session', session }));
          break;
        case 'ack':
          push();
          break;
        default:
          break;
      }
    };

    const manager = new ConnectionManager({
      socket: browserSocket,
      fetch: (url, init) => fetch(url, init),
      clock: {
        now: () => Date.now(),
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      },
      random: Math.random,
      outbox,
      config: async () => {
        const s = await loadSettings(store);
        return { serverUrl: s.serverUrl, token: s.token };
      },
      onMessage: onServer,
      onStatus: () => {
        updateBadge();
        push();
      },
      onDropped: notify,
    });

    // ---- Web pages asking to use Codette: the requests made while the socket was down come with the list ----
    const loadAccessRequests = async () => {
      try {
        accessRequests = (await listAccess(await loadSettings(store))).pending;
        updateBadge();
        push();
      } catch {
        /* an older server without /api/access, or gone again: the socket's events still come */
      }
    };
    const onAccessDecision = async (origin: string, decision: AccessDecision) => {
      try {
        await decideAccess(await loadSettings(store), origin, decision);
        accessRequests = accessRequests.filter((r) => r.origin !== origin);
        accessProblem = null;
        updateBadge();
      } catch (error) {
        accessProblem = (error as Error).message;
      }
      push();
    };

    // ---- DAW tabs ----
    const toDaw = async (command: TransportCommandInput) => {
      if (activeDawTab === null) return;
      const msg: ToDaw = { type: 'daw_command', command };
      try {
        await browser.tabs.sendMessage(activeDawTab, msg);
      } catch {
        dawTabs.delete(activeDawTab);
        activeDawTab = null;
        push();
      }
    };

    const reportActiveDaw = async (reason: 'query') => {
      if (activeDawTab === null) return;
      const info = dawTabs.get(activeDawTab);
      if (info) {
        // The tab's state again, without the outcome of an old command (that would confirm a newer pending one).
        const { outcome: _old, ...report } = info.observed;
        void _old;
        manager.send({ type: 'daw_report', report });
      }
      try {
        await browser.tabs.sendMessage(activeDawTab, { type: 'daw_query' } satisfies ToDaw);
      } catch {
        /* the tab went away; its onRemoved will follow */
      }
      void reason;
    };

    // At most 5 reports a second per tab reach the server (the latest wins); a command's outcome goes at once.
    const gate = new ReportGate((tabId, report) => {
      if (tabId === activeDawTab) manager.send({ type: 'daw_report', report });
    });

    const onDawMessage = async (msg: FromDaw, sender: Browser.runtime.MessageSender) => {
      const tab = sender.tab;
      const site = senderOrigin(sender);
      if (tab?.id === undefined || !site) return;
      await permissionsReady;
      const decision = permissions.decision(site);
      if (decision === 'blocked') return;
      if (msg.type === 'teach_progress') {
        if (teach && teach.tabId === tab.id) {
          teach = {
            ...teach,
            step: msg.step,
            learnt: msg.learnt,
            ...(msg.verified ? { verified: msg.verified } : {}),
            ...(msg.message ? { message: msg.message } : {}),
          };
          push();
        }
        return;
      }
      if (decision === 'ask') {
        // Nothing of this page reaches the server, and no command reaches it, until the user enables the site.
        if (tab.active || siteRequest === null) {
          siteRequest = { tabId: tab.id, site, title: msg.title.slice(0, 120) };
          push();
        }
        return;
      }
      const observed = checkReport(msg.observed, { site, tabId: tab.id, controls: msg.controls });
      if (!observed) return;
      if (msg.outcome) observed.outcome = msg.outcome;
      const previous = dawTabs.get(tab.id);
      const info: DawTabInfo = {
        tabId: tab.id,
        site,
        title: msg.title,
        observed,
        controls: msg.controls,
        at: Date.now(),
        ...((msg.outcome ?? previous?.outcome) ? { outcome: msg.outcome ?? previous!.outcome! } : {}),
      };
      dawTabs.set(tab.id, info);
      if (siteRequest?.tabId === tab.id) siteRequest = null;
      if (activeDawTab === null || tab.active) activeDawTab = tab.id;
      if (activeDawTab === tab.id) {
        gate.offer(tab.id, observed);
        push();
      }
    };

    const onSitePermission = async (site: string, allow: boolean) => {
      await permissionsReady;
      await permissions.set(site, allow);
      const request = siteRequest;
      if (request?.site === site) siteRequest = null;
      push();
      // Asked again, the tab now reports (its current state first).
      if (allow && request)
        await browser.tabs.sendMessage(request.tabId, { type: 'daw_query' } satisfies ToDaw).catch(() => undefined);
    };

    const onTeach = async (step: 'start' | 'skip' | 'save' | 'cancel') => {
      const tabId = activeDawTab;
      if (tabId === null) return;
      const info = dawTabs.get(tabId);
      if (step === 'start') teach = { tabId, site: info?.site ?? '', step: 'play', learnt: {} };
      if (step === 'cancel') teach = null;
      push();
      await browser.tabs.sendMessage(tabId, { type: 'teach', step } satisfies ToDaw).catch(() => undefined);
    };

    const sendTransport = async (command: TransportCommandInput) => {
      void toDaw(command);
      await manager.enqueue({ type: 'transport', id: crypto.randomUUID(), command });
      push();
    };

    // ---- listeners, registered synchronously so that an event can wake the worker ----
    browser.runtime.onMessage.addListener((raw: unknown, sender) => {
      const msg = raw as FromDaw | { type: 'status' } | { type: 'open_panel' };
      if (msg?.type === 'daw_state' || msg?.type === 'teach_progress') void onDawMessage(msg, sender);
      if (msg?.type === 'status') return Promise.resolve(snapshot());
      return undefined;
    });

    // Live meters: the offscreen capture (Chrome) or the page hook (Firefox); snapshots go straight to the panel.
    installMeters();

    browser.runtime.onConnect.addListener((port) => {
      if (port.name !== UI_PORT) return;
      ports.add(port);
      port.onDisconnect.addListener(() => ports.delete(port));
      port.onMessage.addListener((raw: unknown) => void onUi(port, raw as FromUi));
      manager.retryNow();
      port.postMessage({ type: 'snapshot', snapshot: snapshot() } satisfies ToUi);
      void history.load().then(() => port.postMessage({ type: 'chat_sessions', ...history.state } satisfies ToUi));
    });

    const onUi = async (port: Port, msg: FromUi) => {
      switch (msg.type) {
        case 'hello':
          if (msg.view === 'popup') void manager.checkHealth();
          break;
        case 'retry':
          manager.retryNow();
          void manager.checkHealth();
          break;
        case 'transport':
          await sendTransport(msg.command);
          break;
        case 'chat_send': {
          const id = crypto.randomUUID();
          const session = await history.addUser(msg.sessionId, id, msg.request);
          post({ type: 'chat_session', session });
          // The server creates sessions: the first question goes without session_id, later ones with the server's id.
          const { session_id: _ignored, ...request } = msg.request;
          void _ignored;
          await manager.enqueue({
            type: 'chat',
            id,
            request: session.serverSessionId ? { ...request, session_id: session.serverSessionId } : request,
          });
          push();
          break;
        }
        case 'chat_new':
          await history.newSession();
          post({ type: 'chat_sessions', ...history.state });
          break;
        case 'chat_select':
          await history.select(msg.sessionId);
          post({ type: 'chat_sessions', ...history.state });
          break;
        case 'feedback': {
          await manager.enqueue({ type: 'feedback', id: crypto.randomUUID(), feedback: msg.feedback });
          const session = await history.rate(msg.sessionId, msg.feedback.message_id, msg.feedback.rating);
          if (session) post({ type: 'chat_session', session });
          push();
          break;
        }
        case 'dismiss':
          notices = notices.filter((n) => n.id !== msg.noticeId);
          push();
          break;
        case 'settings_changed':
          manager.reconnect();
          void syncSiteScripts();
          break;
        case 'site_permission':
          await onSitePermission(msg.site, msg.allow);
          break;
        case 'teach':
          await onTeach(msg.step);
          break;
        case 'access_decision':
          await onAccessDecision(msg.origin, msg.decision);
          break;
      }
      void port;
    };

    browser.tabs.onActivated.addListener(({ tabId }) => {
      if (dawTabs.has(tabId) && activeDawTab !== tabId) {
        activeDawTab = tabId;
        void reportActiveDaw('query');
        push();
      }
    });
    browser.tabs.onRemoved.addListener((tabId) => {
      dawTabs.delete(tabId);
      gate.forget(tabId);
      if (siteRequest?.tabId === tabId) siteRequest = null;
      if (teach?.tabId === tabId) teach = null;
      if (activeDawTab === tabId) {
        const next = [...dawTabs.values()].sort((a, b) => b.at - a.at)[0];
        activeDawTab = next?.tabId ?? null;
        push();
      }
    });

    browser.commands.onCommand.addListener((command, tab) => {
      if (command === 'open-panel') {
        const sidePanel = (globalThis as { chrome?: { sidePanel?: { open(o: { windowId: number }): Promise<void> } } })
          .chrome?.sidePanel;
        if (sidePanel && tab?.windowId !== undefined)
          void sidePanel.open({ windowId: tab.windowId }).catch(() => undefined);
        return;
      }
      const playing =
        (activeDawTab !== null ? dawTabs.get(activeDawTab)?.observed.playing : undefined) ??
        transport?.playing ??
        false;
      if (command === 'play-pause') void sendTransport({ action: playing ? 'pause' : 'play' });
      if (command === 'stop') void sendTransport({ action: 'stop' });
    });

    // First run: the welcome page (what Codette is, is the server running, the demo, the panel, the pin) in a tab.
    // Firefox cannot navigate to a moz-extension:// page from outside either, so this is also how its e2e reaches one.
    browser.runtime.onInstalled.addListener(({ reason }) => {
      if (reason === 'install')
        void browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') }).catch(() => undefined);
    });

    // DAW tabs hold a port (DAW_PORT) and send keepalives through it: a message handled here keeps Firefox's event page,
    // and so the server socket, alive while a DAW tab is open.
    const dawPorts = new Set<Port>();
    browser.runtime.onConnect.addListener((port) => {
      if (port.name !== DAW_PORT) return;
      dawPorts.add(port);
      port.onMessage.addListener(() => undefined);
      port.onDisconnect.addListener(() => dawPorts.delete(port));
    });

    // Wakes a stopped worker (server down, nothing else happening) so that the reconnect never gives up.
    void browser.alarms.create('codette-wake', { periodInMinutes: 0.5 });
    browser.alarms.onAlarm.addListener(() => manager.retryNow());
    globalThis.addEventListener?.('online', () => manager.retryNow());

    browser.storage.onChanged.addListener((changes, area) => {
      if (area === 'local' && changes[SETTINGS_KEY]) {
        manager.reconnect();
        void syncSiteScripts();
        void loadSettings(store).then((s) => permissions.load(s.sites));
      }
      // A decision reset in the options: that site asks again.
      if (area === 'local' && changes[SITE_PERMISSIONS_KEY])
        void loadSettings(store).then((s) => permissions.load(s.sites));
    });

    const sidePanelApi = (
      globalThis as {
        chrome?: { sidePanel?: { setPanelBehavior(o: { openPanelOnActionClick: boolean }): Promise<void> } };
      }
    ).chrome?.sidePanel;
    void sidePanelApi?.setPanelBehavior({ openPanelOnActionClick: false }).catch(() => undefined);

    updateBadge();
    void outbox.load().then(() => {
      manager.start();
      push();
    });
    // After a worker restart the DAW tabs are unknown: ask the open tabs (those without our script just fail).
    void browser.tabs.query({}).then((tabs) => {
      for (const t of tabs)
        if (t.id !== undefined && /^https?:/.test(t.url ?? ''))
          void browser.tabs.sendMessage(t.id, { type: 'daw_query' } satisfies ToDaw).catch(() => undefined);
    });
    void syncSiteScripts();
  },
});
