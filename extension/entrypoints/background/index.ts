import { browser, type Browser } from 'wxt/browser';
import { RuntimeRequest, type FromUi } from '../../../shared/schemas/extension';
import type { TransportCommandInput, TransportState } from '../../../shared/schemas/transport';
import type { ServerMessage } from '../../../shared/schemas/ws';
import { badgeFor } from '../../lib/badge';
import { ChatHistory } from '../../lib/chat-history';
import { ConnectionManager, type SocketFactory } from '../../lib/connection';
import { DAW_PORT, UI_PORT, type ToDaw, type UiSnapshot } from '../../lib/messages';
import { installMeters } from '../../lib/meters-background';
import { Outbox } from '../../lib/outbox';
import { loadSettings, SETTINGS_KEY } from '../../lib/settings';
import { batchedStore } from '../../lib/storage';
import { decideAccess, listAccess } from '../../lib/web-access';
import { AccessRequests } from './access-requests';
import { ChatRelay } from './chat-relay';
import { DawTabs } from './daw-tabs';
import { Notices } from './notices';
import { SITE_PERMISSIONS_KEY, SitePermissions, senderOrigin } from './site-permissions';
import { syncSiteScripts } from './sites';
import { UiPorts } from './ui-ports';

/**
 * The background: wires the parts (connection, outbox, DAW tabs, chat relay, pages' ports, notices) to the browser's
 * events. Each part is a class of its own with its tests; this file only routes events between them.
 */
const browserSocket: SocketFactory = (url, h) => {
  const ws = new WebSocket(url);
  ws.onopen = () => h.open();
  ws.onmessage = (e) => h.message(typeof e.data === 'string' ? e.data : '');
  ws.onclose = (e) => h.close(e.code, e.reason);
  ws.onerror = () => h.error();
  return ws;
};

const sendToTab = (tabId: number, message: ToDaw) => browser.tabs.sendMessage(tabId, message);

interface ChromeSidePanel {
  open(o: { windowId: number }): Promise<void>;
  setPanelBehavior(o: { openPanelOnActionClick: boolean }): Promise<void>;
}
const chromeSidePanel = () => (globalThis as { chrome?: { sidePanel?: ChromeSidePanel } }).chrome?.sidePanel;

export default defineBackground({
  type: 'module',
  main() {
    const store = batchedStore(browser.storage.local);
    const outbox = new Outbox(store);
    const history = new ChatHistory(store);
    const permissions = new SitePermissions(store);
    const permissionsReady = loadSettings(store).then((s) => permissions.load(s.sites));
    const reloadPermissions = () => void loadSettings(store).then((s) => permissions.load(s.sites));
    let transport: TransportState | null = null;

    const snapshot = (): UiSnapshot => ({
      connection: manager.status,
      transport,
      daw: tabs.active,
      outbox: outbox.entries.map((e) => ({
        id: e.id,
        type: e.message.type,
        createdAt: e.createdAt,
        ...(e.waiting ? { waiting: e.waiting } : {}),
      })),
      notices: notices.list,
      accessRequests: access.waiting,
      accessProblem: access.problem,
      siteRequest: tabs.siteRequest,
      teach: tabs.teach,
    });
    const ui = new UiPorts(snapshot, (msg) => void onUi(msg));
    const push = () => ui.push();
    const notices = new Notices();
    const access = new AccessRequests({
      server: () => loadSettings(store),
      list: (server) => listAccess(server),
      decide: (server, origin, decision) => decideAccess(server, origin, decision),
      changed: () => {
        updateBadge();
        push();
      },
    });
    const tabs = new DawTabs({
      sendToTab,
      report: (report) => manager.send({ type: 'daw_report', report }),
      permissions: {
        ready: permissionsReady,
        decision: (s) => permissions.decision(s),
        set: (s, a) => permissions.set(s, a),
      },
      changed: push,
    });
    const chat = new ChatRelay({
      history,
      enqueue: (message) => manager.enqueue(message),
      answered: (id) => outbox.ack(id),
      post: (message) => ui.post(message),
      changed: push,
    });

    let lastBadge = '';
    const updateBadge = () => {
      // A web page waiting for the user's Allow / Deny shows first: the panel and the popup may both be closed.
      const waiting = access.waiting.length;
      const b = waiting ? { text: `${waiting}?`, color: '#6b4fd8' } : badgeFor(manager.status);
      if (b.text + b.color === lastBadge) return;
      lastBadge = b.text + b.color;
      void browser.action.setBadgeText({ text: b.text }).catch(() => undefined);
      void browser.action.setBadgeBackgroundColor({ color: b.color }).catch(() => undefined);
    };

    const onServer = (msg: ServerMessage) => {
      switch (msg.type) {
        case 'hello':
          transport = msg.transport;
          void tabs.reportActive();
          void access.reload();
          push();
          break;
        case 'access_request':
        case 'access_settled':
          access.onEvent(msg);
          break;
        case 'transport_state':
          transport = msg.state;
          // Commands from any other client (REST, another socket, a chat answer) reach the DAW tab. Ours were
          // carried out locally the moment the user pressed the button.
          if (
            msg.command &&
            msg.state.changed_by.source !== 'daw' &&
            msg.state.changed_by.client !== manager.status.connectionId
          )
            void tabs.command(msg.command);
          push();
          break;
        case 'transport_tick':
          ui.post({ type: 'tick', position: msg.position, revision: msg.revision });
          break;
        case 'chat_delta':
          ui.post({ type: 'chat_delta', id: msg.id, delta: msg.delta });
          break;
        case 'chat_reply':
          void chat.reply(msg.id, msg.reply);
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
      onDropped: (dropped) => notices.dropped(dropped) && push(),
    });

    const sendTransport = async (command: TransportCommandInput) => {
      void tabs.command(command);
      await manager.enqueue({ type: 'transport', id: crypto.randomUUID(), command });
      push();
    };

    const onUi = async (msg: FromUi) => {
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
        case 'chat_send':
          await chat.ask(msg.sessionId, msg.request);
          break;
        case 'chat_new':
          await chat.newChat();
          break;
        case 'chat_select':
          await chat.select(msg.sessionId);
          break;
        case 'feedback':
          await chat.rate(msg.sessionId, msg.feedback);
          break;
        case 'dismiss':
          notices.dismiss(msg.noticeId);
          push();
          break;
        case 'settings_changed':
          manager.reconnect();
          void syncSiteScripts();
          break;
        case 'site_permission':
          await tabs.setPermission(msg.site, msg.allow);
          break;
        case 'teach':
          await tabs.teachStep(msg.step);
          break;
        case 'access_decision':
          await access.decide(msg.origin, msg.decision);
          break;
      }
    };

    // ---- listeners, registered synchronously so that an event can wake the worker ----
    browser.runtime.onMessage.addListener((raw: unknown, sender: Browser.runtime.MessageSender) => {
      const parsed = RuntimeRequest.safeParse(raw);
      if (!parsed.success) return undefined;
      const msg = parsed.data;
      if (msg.type === 'status') return Promise.resolve(snapshot());
      if (msg.type === 'daw_state' || msg.type === 'teach_progress')
        void tabs.received(msg, { tab: sender.tab, site: senderOrigin(sender) });
      return undefined;
    });

    // Live meters: the offscreen capture (Chrome) or the page hook (Firefox); snapshots go straight to the panel.
    installMeters();

    browser.runtime.onConnect.addListener((port) => {
      if (port.name !== UI_PORT) return;
      ui.add(port);
      manager.retryNow();
      void history.load().then(() => chat.sendAll((m) => port.postMessage(m)));
    });

    browser.tabs.onActivated.addListener(({ tabId }) => tabs.activated(tabId));
    browser.tabs.onRemoved.addListener((tabId) => tabs.removed(tabId));

    browser.commands.onCommand.addListener((command, tab) => {
      if (command === 'open-panel') {
        const sidePanel = chromeSidePanel();
        if (sidePanel && tab?.windowId !== undefined)
          void sidePanel.open({ windowId: tab.windowId }).catch(() => undefined);
        return;
      }
      const playing = tabs.active?.observed.playing ?? transport?.playing ?? false;
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
    browser.runtime.onConnect.addListener((port) => {
      if (port.name !== DAW_PORT) return;
      port.onMessage.addListener(() => undefined);
    });

    // Wakes a stopped worker (server down, nothing else happening) so that the reconnect never gives up.
    void browser.alarms.create('codette-wake', { periodInMinutes: 0.5 });
    browser.alarms.onAlarm.addListener(() => manager.retryNow());
    globalThis.addEventListener?.('online', () => manager.retryNow());

    browser.storage.onChanged.addListener((changes, area) => {
      if (area !== 'local') return;
      if (changes[SETTINGS_KEY]) {
        manager.reconnect();
        void syncSiteScripts();
        reloadPermissions();
      }
      // A decision reset in the options: that site asks again.
      if (changes[SITE_PERMISSIONS_KEY]) reloadPermissions();
    });

    void chromeSidePanel()
      ?.setPanelBehavior({ openPanelOnActionClick: false })
      .catch(() => undefined);

    updateBadge();
    void outbox.load().then(() => {
      manager.start();
      push();
    });
    // After a worker restart the DAW tabs are unknown: ask the open tabs (those without our script just fail).
    void browser.tabs.query({}).then((open) => {
      for (const t of open)
        if (t.id !== undefined && /^https?:/.test(t.url ?? ''))
          void sendToTab(t.id, { type: 'daw_query' }).catch(() => undefined);
    });
    void syncSiteScripts();
  },
});
