/** The DAW tabs as the background tracks them: permissions, the active tab, commands, teach mode. */
import { describe, expect, it } from 'vitest';
import type { FromDawMessage, ToDaw } from '../../shared/schemas/extension';
import type { DawReport } from '../../shared/schemas/transport';
import { DawTabs } from '../entrypoints/background/daw-tabs';
import type { SiteDecision } from '../entrypoints/background/site-permissions';

const SITE = 'https://daw.example';
const observed = (playing: boolean): DawReport => ({ site: SITE, playing, bpm: 120 }) as DawReport;
const state = (
  playing: boolean,
  extra: Partial<Extract<FromDawMessage, { type: 'daw_state' }>> = {},
): FromDawMessage => ({
  type: 'daw_state',
  site: SITE,
  title: 'My song - DAW',
  observed: observed(playing),
  controls: ['play', 'stop'],
  reason: 'change',
  ...extra,
});

function setup(decision: SiteDecision = 'enabled') {
  const sent: [number, ToDaw][] = [];
  const reports: DawReport[] = [];
  const gone = new Set<number>();
  const decisions = new Map<string, SiteDecision>([[SITE, decision]]);
  let changes = 0;
  let t = 0;
  const tabs = new DawTabs({
    sendToTab: async (tabId, message) => {
      if (gone.has(tabId)) throw new Error('no such tab');
      sent.push([tabId, message]);
    },
    report: (r) => reports.push(r),
    permissions: {
      ready: Promise.resolve(),
      decision: (site) => decisions.get(site) ?? 'ask',
      set: async (site, allow) => void decisions.set(site, allow ? 'enabled' : 'blocked'),
    },
    changed: () => void changes++,
    now: () => ++t,
    gateClock: { now: () => t, setTimeout: () => 0 },
  });
  const from = (id: number, active = true) => ({ tab: { id, active }, site: SITE });
  return { tabs, sent, reports, gone, from, changes: () => changes };
}

describe('DAW tabs', () => {
  it("reports an enabled site's tab with the tab id the browser gives, and makes it the active one", async () => {
    const { tabs, reports, from } = setup();
    await tabs.received(state(true), from(7));
    expect(tabs.activeTab).toBe(7);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ tab_id: 7, playing: true, site: SITE });
    expect(tabs.active?.title).toBe('My song - DAW');
  });

  it('uses nothing of a blocked site, and of a site not yet enabled only the request to enable it', async () => {
    const blocked = setup('blocked');
    await blocked.tabs.received(state(true), blocked.from(1));
    expect([blocked.tabs.activeTab, blocked.tabs.siteRequest, blocked.reports.length]).toEqual([null, null, 0]);
    const ask = setup('ask');
    await ask.tabs.received(state(true), ask.from(2));
    expect(ask.tabs.activeTab).toBeNull();
    expect(ask.tabs.siteRequest).toEqual({ tabId: 2, site: SITE, title: 'My song - DAW' });
    await ask.tabs.setPermission(SITE, true);
    expect(ask.tabs.siteRequest).toBeNull();
    expect(ask.sent).toEqual([[2, { type: 'daw_query' }]]);
  });

  it('drops a report that does not parse, and a message without a tab or origin', async () => {
    const { tabs, reports, from } = setup();
    await tabs.received(state(true, { observed: { playing: 'yes' } }), from(3));
    await tabs.received(state(true), { tab: {}, site: SITE });
    await tabs.received(state(true), { tab: { id: 3 }, site: null });
    expect([tabs.activeTab, reports.length]).toEqual([null, 0]);
  });

  it('sends commands to the active tab, and forgets a tab that no longer answers', async () => {
    const { tabs, sent, gone, from } = setup();
    await tabs.received(state(false), from(4));
    await tabs.command({ action: 'play' });
    expect(sent).toEqual([[4, { type: 'daw_command', command: { action: 'play' } }]]);
    gone.add(4);
    await tabs.command({ action: 'stop' });
    expect([tabs.activeTab, tabs.has(4)]).toEqual([null, false]);
  });

  it('after the active tab closes, the most recently heard tab takes over; switching tabs re-reports it', async () => {
    const { tabs, reports, sent, from } = setup();
    await tabs.received(state(false), from(5));
    await tabs.received(state(true), from(6, false)); // heard, not active
    expect(tabs.activeTab).toBe(5);
    tabs.removed(5);
    expect(tabs.activeTab).toBe(6);
    tabs.activated(5); // unknown tab: nothing changes
    expect(tabs.activeTab).toBe(6);
    await tabs.received(state(false), from(5, false));
    tabs.activated(5);
    await Promise.resolve();
    expect(tabs.activeTab).toBe(5);
    expect(reports.at(-1)).toMatchObject({ tab_id: 5 });
    expect(sent.at(-1)).toEqual([5, { type: 'daw_query' }]);
  });

  it("re-reports the active tab's state without an old command's outcome", async () => {
    const { tabs, reports, from } = setup();
    const outcome = { command_id: 'c1', action: 'play', ok: true } as never;
    await tabs.received(state(true, { outcome }), from(8));
    await tabs.reportActive();
    expect(reports[0]).toHaveProperty('outcome');
    expect(reports.at(-1)).not.toHaveProperty('outcome');
  });

  it('teach mode: starts on the active tab, follows its progress, ends when the tab closes', async () => {
    const { tabs, sent, from } = setup();
    await tabs.received(state(false), from(9));
    await tabs.teachStep('start');
    expect(tabs.teach).toMatchObject({ tabId: 9, site: SITE, step: 'play' });
    expect(sent.at(-1)).toEqual([9, { type: 'teach', step: 'start' }]);
    await tabs.received({ type: 'teach_progress', step: 'stop', learnt: { play: '#play' } }, from(9));
    expect(tabs.teach).toMatchObject({ step: 'stop', learnt: { play: '#play' } });
    tabs.removed(9);
    expect(tabs.teach).toBeNull();
  });
});
