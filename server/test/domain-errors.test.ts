import { describe, expect, it } from 'vitest';
import { ApiError, STORE_ERROR_STATUS, toApiError } from '../http/errors';
import { AppliedIds } from '../idempotency';
import { StoreError } from '../store/errors';
import { AuthError } from '../store/auth';
import { applyTransportCommand } from '../transport/apply';
import { Transport, TransportRejection } from '../transport/transport';

const memoryIds = () => {
  const remembered = new Map<string, unknown>();
  return new AppliedIds({
    lookupClientId: async (id) => (remembered.get(id) ?? null) as never,
    rememberClientId: async (id, result) => void (remembered.has(id) || remembered.set(id, result)),
  });
};

describe('domain errors stay in the domain; server/http/ decides what they mean over HTTP', () => {
  it('a refused transport command throws the domain TransportRejection, not an HTTP error', async () => {
    const services = { transport: new Transport(), appliedIds: memoryIds() };
    const refused = applyTransportCommand(
      services,
      { action: 'loop', enabled: true, start_seconds: 8, end_seconds: 4 },
      { source: 'rest', client: null },
      'id-1',
    );
    await expect(refused).rejects.toBeInstanceOf(TransportRejection);
    await expect(refused).rejects.not.toBeInstanceOf(ApiError);
  });

  it('maps a TransportRejection to a 400 that names the field', () => {
    const { api, unexpected } = toApiError(new TransportRejection('end_seconds', 'the loop must end after it starts'));
    expect([api.status, api.code, unexpected]).toEqual([400, 'invalid_request', false]);
    expect(api.details).toEqual([{ field: 'end_seconds', message: 'the loop must end after it starts' }]);
  });

  it('maps every store error code to a status, with the store message and details kept', () => {
    const e = new StoreError('not_found', 'Session s1 not found.', { field: 'session_id' });
    expect(toApiError(e).api).toMatchObject({ status: 404, code: 'not_found', details: { field: 'session_id' } });
    expect(toApiError(new StoreError('locked', 'locked')).api.status).toBe(503);
    expect(toApiError(new StoreError('internal', 'boom')).unexpected).toBe(true);
    expect(STORE_ERROR_STATUS.conflict).toBe(409);
    // The store's error carries no HTTP knowledge of its own.
    expect('status' in e).toBe(false);
    expect('toJSON' in e).toBe(false);
  });

  it('maps auth errors: a bad token 401, unreachable keys 503, a server not set up 500', () => {
    const status = (code: ConstructorParameters<typeof AuthError>[0]) =>
      toApiError(new AuthError(code, 'x')).api.status;
    expect([status('expired_token'), status('keys_unreachable'), status('not_configured')]).toEqual([401, 503, 500]);
  });
});

describe('apply once, with typed records', () => {
  it('remembers a chat answer under its own prefix and refuses a record of the wrong shape', async () => {
    const stored = new Map<string, unknown>();
    const ids = new AppliedIds({
      lookupClientId: async (id) => (stored.get(id) ?? null) as never,
      rememberClientId: async (id, result) => void stored.set(id, result),
    });
    const { APPLIED_CHAT } = await import('../idempotency');
    expect(await ids.recall(APPLIED_CHAT, 'c1')).toBeNull();
    await ids.remember(APPLIED_CHAT, 'c1', { session_id: 's', message_id: 'm' });
    expect(stored.get('chat:c1')).toEqual({ session_id: 's', message_id: 'm' });
    expect(await ids.recall(APPLIED_CHAT, 'c1')).toEqual({ session_id: 's', message_id: 'm' });
    stored.set('chat:c2', { session_id: 's' });
    expect(await ids.recall(APPLIED_CHAT, 'c2')).toBeNull();
  });

  it('claims a command id once, also when only the database remembers it', async () => {
    const ids = memoryIds();
    expect(await ids.claim('t1')).toBe(true);
    await ids.commit('t1');
    expect(await ids.claim('t1')).toBe(false);
    const stored = new Map<string, unknown>([['t2', true]]);
    const restarted = new AppliedIds({
      lookupClientId: async (id) => (stored.get(id) ?? null) as never,
      rememberClientId: async () => undefined,
    });
    expect(await restarted.claim('t2')).toBe(false);
  });

  it('joinFirst: copies arriving while the first applies get its result as copies; after a failure, a fresh try', async () => {
    const ids = memoryIds();
    let applied = 0;
    let release: (v: string) => void = () => undefined;
    const apply = () => {
      applied += 1;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const first = ids.joinFirst('k', apply, (v) => `copy of ${v}`);
    const copy = ids.joinFirst('k', apply, (v) => `copy of ${v}`);
    release('answer');
    expect([await first, await copy, applied]).toEqual(['answer', 'copy of answer', 1]);
    // Settled: the next one applies again (recognising it is recall's job).
    const later = ids.joinFirst(
      'k',
      async () => 'again',
      (v) => v,
    );
    expect(await later).toBe('again');
    const failing = ids.joinFirst(
      'f',
      () => Promise.reject(new Error('locked')),
      (v: string) => v,
    );
    const retry = ids.joinFirst(
      'f',
      async () => 'fresh',
      (v) => `copy of ${v}`,
    );
    await expect(failing).rejects.toThrow('locked');
    expect(await retry).toBe('fresh');
  });
});
