import { describe, expect, it } from 'vitest';
import { checkReport, ReportGate } from '../entrypoints/background/report-gate';
import { SITE_PERMISSIONS_KEY, SitePermissions, senderOrigin } from '../entrypoints/background/site-permissions';
import { memoryStore } from '../lib/storage';
import type { DawReport } from '../../shared/schemas/transport';

describe('sites Codette acts on', () => {
  it('asks on a new origin (local ports included), trusts the built-in DAW sites and the sites added in the options', async () => {
    const p = new SitePermissions(memoryStore());
    await p.load(['https://studio.example.com/']);
    expect(p.decision('http://127.0.0.1:5173')).toBe('ask');
    expect(p.decision('http://localhost:8080')).toBe('ask');
    expect(p.decision('https://www.bandlab.com')).toBe('enabled');
    expect(p.decision('https://studio.example.com')).toBe('enabled');
  });

  it('remembers the answer per origin (one port enabled leaves the others asking)', async () => {
    const store = memoryStore();
    const p = new SitePermissions(store);
    await p.load();
    await p.set('http://127.0.0.1:5173', true);
    await p.set('http://127.0.0.1:6000', false);
    const again = new SitePermissions(store);
    await again.load();
    expect(again.decision('http://127.0.0.1:5173')).toBe('enabled');
    expect(again.decision('http://127.0.0.1:6000')).toBe('blocked');
    expect(again.decision('http://127.0.0.1:7000')).toBe('ask');
    expect(store.data[SITE_PERMISSIONS_KEY]).toEqual({
      'http://127.0.0.1:5173': 'enabled',
      'http://127.0.0.1:6000': 'blocked',
    });
  });

  it("takes the origin from the browser's sender, not from what the page claims", () => {
    expect(senderOrigin({ origin: 'http://127.0.0.1:9', url: 'http://127.0.0.1:9/x' })).toBe('http://127.0.0.1:9');
    expect(senderOrigin({ url: 'http://localhost:3000/daw.html?x' })).toBe('http://localhost:3000');
    expect(senderOrigin({ url: 'file:///tmp/x.html' })).toBeNull();
  });
});

describe('what a DAW tab may report', () => {
  const ctx = { site: 'http://127.0.0.1:5173', tabId: 4, controls: ['play', 'stop'] };

  it('refuses a tempo out of range and a report of another shape, and stamps the real origin and tab', () => {
    expect(checkReport({ playing: true, bpm: 999 }, ctx)).toBeNull();
    expect(checkReport({ playing: 'yes' }, ctx)).toBeNull();
    expect(checkReport({ playing: true, site: 'https://www.bandlab.com' }, ctx)).toEqual({
      playing: true,
      site: ctx.site,
      tab_id: 4,
    });
  });

  it('drops "recording" from a page that shows no record control', () => {
    expect(checkReport({ playing: true, recording: true }, ctx)).toEqual({ playing: true, site: ctx.site, tab_id: 4 });
    expect(checkReport({ recording: true }, { ...ctx, controls: ['play', 'record'] })?.recording).toBe(true);
  });

  it('sends at most one report per interval per tab (the latest wins), and a command outcome at once', () => {
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const sent: DawReport[] = [];
    const gate = new ReportGate(
      (_tab, r) => sent.push(r),
      { now: () => now, setTimeout: (fn, ms) => timers.push({ at: now + ms, fn }) },
      200,
    );
    for (let i = 0; i < 30; i++) {
      gate.offer(1, { playing: i % 2 === 0, bpm: 60 + i });
      now += 5;
    }
    expect(sent).toHaveLength(1);
    gate.offer(1, { playing: false, outcome: { action: 'play', ok: false, reason: 'no_effect' } });
    expect(sent).toHaveLength(2);
    now = 400;
    for (const t of timers.splice(0)) t.fn();
    expect(sent).toHaveLength(2); // the outcome superseded what was waiting
    gate.offer(1, { playing: true, bpm: 99 });
    gate.offer(1, { playing: true, bpm: 100 });
    now = 700;
    for (const t of timers.splice(0)) t.fn();
    expect(sent.map((r) => r.bpm)).toEqual([60, undefined, 99, 100]);
  });
});
