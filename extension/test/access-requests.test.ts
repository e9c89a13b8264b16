import { describe, expect, it, vi } from 'vitest';
import type { PendingAccess } from '../../shared/api/access';
import { AccessRequests } from '../entrypoints/background/access-requests';

const NOW = Date.parse('2026-01-01T00:01:00.000Z');
const request = (origin: string, id: string, expiresAt = '2026-01-01T00:02:00.000Z'): PendingAccess => ({
  id,
  origin,
  name: 'My DAW',
  requested_at: '2026-01-01T00:00:00.000Z',
  expires_at: expiresAt,
});
const server = { serverUrl: 'http://127.0.0.1:8000' };

function part(over: Partial<ConstructorParameters<typeof AccessRequests>[0]> = {}) {
  const changed = vi.fn();
  const deps = {
    server: async () => server,
    list: vi.fn(async () => ({ pending: [request('https://a.example', '1')] })),
    decide: vi.fn(async () => ({})),
    changed,
    now: () => NOW,
    ...over,
  };
  return { access: new AccessRequests(deps), deps, changed };
}

describe('AccessRequests (the background part that holds web pages waiting for Allow / Deny)', () => {
  it('reloads what the server holds after a connection, and tells the badge and the pages', async () => {
    const { access, changed } = part();
    await access.reload();
    expect(access.waiting.map((r) => r.origin)).toEqual(['https://a.example']);
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('follows the socket events, and hides a request whose time is up', () => {
    const { access } = part();
    access.onEvent({ type: 'access_request', request: request('https://a.example', '1') });
    access.onEvent({
      type: 'access_request',
      request: request('https://old.example', '2', '2026-01-01T00:00:30.000Z'),
    });
    expect(access.waiting.map((r) => r.id)).toEqual(['1']);
    access.onEvent({ type: 'access_settled', id: '1', origin: 'https://a.example', status: 'expired' });
    expect(access.waiting).toEqual([]);
  });

  it("sends the user's decision for the origin and removes the request; a failure is kept as the problem", async () => {
    const { access, deps } = part();
    await access.reload();
    await access.decide('https://a.example', 'allowed');
    expect(deps.decide).toHaveBeenCalledWith(server, 'https://a.example', 'allowed');
    expect(access.waiting).toEqual([]);
    expect(access.problem).toBeNull();

    const failing = part({ decide: vi.fn(async () => Promise.reject(new Error('Codette is not running'))) });
    await failing.access.reload();
    await failing.access.decide('https://a.example', 'denied');
    expect(failing.access.problem).toBe('Codette is not running');
    expect(failing.access.waiting).toHaveLength(1);
  });

  it('keeps its list when the server cannot be asked (an older server, or gone again)', async () => {
    const { access, changed } = part({ list: vi.fn(async () => Promise.reject(new Error('down'))) });
    access.onEvent({ type: 'access_request', request: request('https://b.example', '3') });
    await access.reload();
    expect(access.waiting.map((r) => r.id)).toEqual(['3']);
    expect(changed).toHaveBeenCalledTimes(1);
  });
});
