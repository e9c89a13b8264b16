import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { describeDropped, Outbox, OUTBOX_STORAGE_KEY, type OutboxMessage } from '../lib/outbox';
import { storageAreaStore } from '../lib/storage';

const tempo = (id: string, bpm: number): OutboxMessage => ({
  type: 'transport',
  id,
  command: { action: 'tempo', bpm },
});
const chat = (id: string, message: string): OutboxMessage => ({ type: 'chat', id, request: { message } });

describe('outbox in storage.local', () => {
  let now = 1_000;
  const store = () => storageAreaStore(browser.storage.local);
  beforeEach(() => {
    fakeBrowser.reset();
    now = 1_000;
  });

  it('is written to storage.local before add resolves, in the order of add', async () => {
    const box = new Outbox(store(), () => now);
    await Promise.all([box.add(tempo('a', 100)), box.add(chat('b', 'hello')), box.add(tempo('c', 102))]);
    const stored = (await browser.storage.local.get(OUTBOX_STORAGE_KEY))[OUTBOX_STORAGE_KEY] as { id: string }[];
    expect(stored.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(['a', 'b', 'c'].every((id) => box.isDurable(id))).toBe(true);
  });

  it('survives a restart: a new Outbox (new worker, new browser session) reads the rest back', async () => {
    const box = new Outbox(store(), () => now);
    await box.add(tempo('a', 100));
    await box.add(tempo('b', 101));
    await box.ack('a');
    const after = new Outbox(store(), () => now);
    await after.load();
    expect(after.entries.map((e) => e.id)).toEqual(['b']);
    expect(after.isDurable('b')).toBe(true);
  });

  it('removes an entry only when its id is acknowledged, and ignores unknown acks', async () => {
    const box = new Outbox(store(), () => now);
    await box.add(tempo('a', 100));
    expect(await box.ack('zzz')).toBeUndefined();
    expect(box.size).toBe(1);
    expect((await box.ack('a'))?.id).toBe('a');
    expect(box.size).toBe(0);
  });

  it('adds an id once', async () => {
    const box = new Outbox(store(), () => now);
    await box.add(tempo('a', 100));
    await box.add(tempo('a', 100));
    expect(box.size).toBe(1);
  });

  it('is bounded in count: the oldest entries overflow and are returned so that the user can be told', async () => {
    const box = new Outbox(store(), () => now, {
      maxEntries: 3,
      maxAgeMs: { transport: 1e9, chat: 1e9, feedback: 1e9 },
    });
    for (const id of ['a', 'b', 'c']) await box.add(tempo(id, 100));
    const dropped = await box.add(tempo('d', 100));
    expect(dropped.map((d) => [d.entry.id, d.reason])).toEqual([['a', 'overflow']]);
    expect(box.entries.map((e) => e.id)).toEqual(['b', 'c', 'd']);
  });

  it('expires by age per kind: a late transport command goes, a chat message stays', async () => {
    const box = new Outbox(store(), () => now, {
      maxEntries: 10,
      maxAgeMs: { transport: 60_000, chat: 3_600_000, feedback: 3_600_000 },
    });
    await box.add(tempo('t', 100));
    await box.add(chat('c', 'how loud?'));
    now += 61_000;
    const dropped = await box.expire();
    expect(dropped.map((d) => [d.entry.id, d.reason])).toEqual([['t', 'expired']]);
    expect(box.entries.map((e) => e.id)).toEqual(['c']);
    const stored = (await browser.storage.local.get(OUTBOX_STORAGE_KEY))[OUTBOX_STORAGE_KEY] as { id: string }[];
    expect(stored.map((e) => e.id)).toEqual(['c']);
  });

  it('refuses a message that is not valid protocol, and drops invalid stored entries on load', async () => {
    const box = new Outbox(store(), () => now);
    await expect(box.add({ type: 'transport', id: 'x', command: { action: 'tempo', bpm: 9999 } })).rejects.toThrow(
      /valid/,
    );
    await browser.storage.local.set({
      [OUTBOX_STORAGE_KEY]: [
        { id: 'ok', createdAt: 1, message: tempo('ok', 90) },
        { id: 'bad', createdAt: 1, message: { type: 'nope' } },
        42,
      ],
    });
    const again = new Outbox(store(), () => now);
    await again.load();
    expect(again.entries.map((e) => e.id)).toEqual(['ok']);
  });

  it('names each entry it gave up on (expired or overflowed: at most once) in an event the panel can show', async () => {
    const box = new Outbox(store(), () => now, {
      maxEntries: 2,
      maxAgeMs: { transport: 1_000, chat: 10_000, feedback: 10_000 },
    });
    await box.add(tempo('t', 100));
    await box.add(chat('c1', 'first question'));
    const overflow = await box.add(chat('c2', 'second question'));
    now += 5_000;
    const expired = await box.expire();
    expect(expired).toEqual([]);
    now += 10_000;
    const later = await box.expire();
    const event = describeDropped([...overflow, ...later], now);
    expect(event).toEqual({
      type: 'outbox_dropped',
      at: now,
      entries: [
        { id: 't', kind: 'transport', reason: 'overflow', createdAt: 1_000, summary: 'tempo 100' },
        { id: 'c1', kind: 'chat', reason: 'expired', createdAt: 1_000, summary: 'first question' },
        { id: 'c2', kind: 'chat', reason: 'expired', createdAt: 1_000, summary: 'second question' },
      ],
    });
  });
});
