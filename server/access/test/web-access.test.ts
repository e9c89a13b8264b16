import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccessEvent } from '../../../shared/api/access';
import { ApiError } from '../../http/errors';
import { WebAccess, type AccessAsk } from '../web-access';

const DAW = 'https://daw.example.com';

function pendingOf(ask: AccessAsk) {
  if (ask.status !== 'pending') throw new Error(`expected a pending request, got ${ask.status}`);
  return ask;
}

function rateLimited(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError && error.status === 429) return error;
    throw error;
  }
  throw new Error('expected a 429');
}

describe('web access: pages ask, the user decides', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gives a page no access until the user decides, then exactly the decision', async () => {
    const access = new WebAccess();
    const ask = pendingOf(access.ask(DAW, 'My DAW'));
    expect(access.isAllowed(DAW)).toBe(false);
    // Asking again, even for hours, changes nothing by itself.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(access.isAllowed(DAW)).toBe(false);
    access.decide(DAW, 'allowed');
    await expect(ask.settled).resolves.toBe('allowed');
    expect(access.isAllowed(DAW)).toBe(true);
    expect(access.ask(DAW, 'My DAW')).toEqual({ status: 'allowed' });
    expect(access.isAllowed('https://other.example.com')).toBe(false);
  });

  it('keeps one pending request per origin: a second ask joins it without a second prompt', () => {
    const access = new WebAccess();
    const events: AccessEvent[] = [];
    access.onEvent((e) => events.push(e));
    const first = pendingOf(access.ask(DAW, 'My DAW'));
    const second = pendingOf(access.ask(DAW, 'Another name'));
    expect(second.request).toEqual(first.request);
    expect(second.settled).toBe(first.settled);
    expect(events.filter((e) => e.type === 'access_request')).toHaveLength(1);
    expect(access.list().pending).toEqual([first.request]);
  });

  it('expires an unanswered request, tells the waiting page and the extension, and asks anew afterwards', async () => {
    const access = new WebAccess(undefined, { pendingMs: 120_000 });
    const events: AccessEvent[] = [];
    access.onEvent((e) => events.push(e));
    const ask = pendingOf(access.ask(DAW, 'My DAW'));
    expect(Date.parse(ask.request.expires_at) - Date.parse(ask.request.requested_at)).toBe(120_000);
    await vi.advanceTimersByTimeAsync(119_000);
    expect(access.list().pending).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(ask.settled).resolves.toBe('expired');
    expect(access.list().pending).toEqual([]);
    expect(events.at(-1)).toEqual({ type: 'access_settled', id: ask.request.id, origin: DAW, status: 'expired' });
    expect(access.isAllowed(DAW)).toBe(false);
    const again = pendingOf(access.ask(DAW, 'My DAW'));
    expect(again.request.id).not.toBe(ask.request.id);
  });

  it('lets every waiting page go at shutdown', async () => {
    const access = new WebAccess();
    const ask = pendingOf(access.ask(DAW, 'My DAW'));
    access.close();
    await expect(ask.settled).resolves.toBe('expired');
    expect(access.list().pending).toEqual([]);
  });

  it('rate-limits the prompts of one origin, not its waiting, and not other origins', async () => {
    const access = new WebAccess(undefined, { pendingMs: 1_000, promptsPerWindow: 2, windowMs: 60_000 });
    pendingOf(access.ask(DAW, 'x'));
    await vi.advanceTimersByTimeAsync(1_000);
    pendingOf(access.ask(DAW, 'x'));
    // Joining the one waiting is free.
    pendingOf(access.ask(DAW, 'x'));
    await vi.advanceTimersByTimeAsync(1_000);
    const refused = rateLimited(() => access.ask(DAW, 'x'));
    expect(refused.code).toBe('rate_limited');
    expect(refused.headers?.['retry-after']).toBe('58');
    pendingOf(access.ask('https://other.example.com', 'y'));
    await vi.advanceTimersByTimeAsync(58_000);
    pendingOf(access.ask(DAW, 'x'));
  });

  it('caps the requests waiting at once over all origins', () => {
    const access = new WebAccess(undefined, { maxPending: 2 });
    pendingOf(access.ask('https://a.example', 'a'));
    pendingOf(access.ask('https://b.example', 'b'));
    expect(rateLimited(() => access.ask('https://c.example', 'c')).message).toContain('already waiting');
  });

  it('answers a denied origin at once, without prompting the user again', () => {
    const access = new WebAccess();
    const events: AccessEvent[] = [];
    access.onEvent((e) => events.push(e));
    access.decide(DAW, 'denied', 'My DAW');
    expect(access.ask(DAW, 'My DAW')).toEqual({ status: 'denied' });
    expect(events).toEqual([]);
  });

  it('revokes a decision: the origin loses access and must ask again', () => {
    const access = new WebAccess();
    access.decide(DAW, 'allowed', 'My DAW');
    expect(access.revoke(DAW)).toBe(true);
    expect(access.isAllowed(DAW)).toBe(false);
    expect(access.revoke(DAW)).toBe(false);
    expect(access.ask(DAW, 'My DAW').status).toBe('pending');
  });

  it('keeps decisions across restarts in the data directory, readable by the user only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codette-access-'));
    const first = WebAccess.inDataDir(dir);
    pendingOf(first.ask(DAW, 'My DAW'));
    first.decide(DAW, 'allowed');
    first.decide('https://evil.example', 'denied', 'Evil');
    first.close();
    const file = join(dir, 'web-access.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = WebAccess.inDataDir(dir);
    expect(second.isAllowed(DAW)).toBe(true);
    expect(second.list().origins.find((o) => o.origin === DAW)?.name).toBe('My DAW');
    expect(second.ask('https://evil.example', 'Evil')).toEqual({ status: 'denied' });
    second.revoke(DAW);
    expect(WebAccess.inDataDir(dir).isAllowed(DAW)).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8')).origins.map((o: { origin: string }) => o.origin)).toEqual([
      'https://evil.example',
    ]);
  });

  it('grants nothing from a damaged or hand-edited file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codette-access-'));
    const file = join(dir, 'web-access.json');
    writeFileSync(file, '{ not json');
    expect(WebAccess.inDataDir(dir).list().origins).toEqual([]);
    writeFileSync(file, JSON.stringify({ origins: [{ origin: 'javascript:alert(1)', decision: 'allowed' }] }));
    expect(WebAccess.inDataDir(dir).list().origins).toEqual([]);
  });
});
