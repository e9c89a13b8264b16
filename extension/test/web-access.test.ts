import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { AccessEvent, PendingAccess } from '../../shared/api/access';
import WebAccessPrompt from '../components/WebAccessPrompt.vue';
import { applyAccessEvent, decideAccess, listAccess, revokeAccess, stillWaiting } from '../lib/web-access';

const request = (origin: string, id: string, expiresAt = '2099-01-01T00:00:00.000Z'): PendingAccess => ({
  id,
  origin,
  name: 'My DAW',
  requested_at: '2026-01-01T00:00:00.000Z',
  expires_at: expiresAt,
});

describe('web pages asking to use Codette, in the extension', () => {
  it('keeps one request per origin and drops the one that ended', () => {
    const a = request('https://a.example', '1');
    const b = request('https://b.example', '2');
    let list: PendingAccess[] = [];
    const events: AccessEvent[] = [
      { type: 'access_request', request: a },
      { type: 'access_request', request: b },
      { type: 'access_request', request: { ...a, id: '3' } },
    ];
    for (const e of events) list = applyAccessEvent(list, e);
    expect(list.map((r) => r.id)).toEqual(['2', '3']);
    list = applyAccessEvent(list, { type: 'access_settled', id: '3', origin: a.origin, status: 'expired' });
    expect(list).toEqual([b]);
  });

  it('forgets requests whose time is up even if the expiry event was missed', () => {
    const late = request('https://a.example', '1', '2026-01-01T00:02:00.000Z');
    expect(stillWaiting([late], Date.parse('2026-01-01T00:01:59.000Z'))).toEqual([late]);
    expect(stillWaiting([late], Date.parse('2026-01-01T00:02:00.000Z'))).toEqual([]);
  });

  it('shows the origin and the name, and answers with the origin of the request clicked', async () => {
    const wrapper = mount(WebAccessPrompt, {
      props: { requests: [request('https://a.example', '1'), request('https://b.example', '2')] },
    });
    const asks = wrapper.findAll('[data-testid=access-request]');
    expect(asks).toHaveLength(2);
    expect(asks[1]!.text()).toContain('https://b.example');
    expect(asks[1]!.text()).toContain('My DAW');
    await asks[1]!.find('[data-testid=access-allow]').trigger('click');
    await asks[0]!.find('[data-testid=access-deny]').trigger('click');
    expect(wrapper.emitted('decide')).toEqual([
      ['https://b.example', 'allowed'],
      ['https://a.example', 'denied'],
    ]);
  });

  it('shows nothing when no page asks', () => {
    expect(
      mount(WebAccessPrompt, { props: { requests: [] } })
        .find('section')
        .exists(),
    ).toBe(false);
  });
});

describe("the extension's access calls go through the client's contract", () => {
  const server = { serverUrl: 'http://127.0.0.1:8000/', token: 'secret' };
  const answer = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('sends the decision for the origin with the token, and returns the checked answer', async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    const fetcher = async (url: string, init?: RequestInit) => {
      seen.push({ url, init });
      return answer(200, {
        origin: 'https://a.example',
        decision: 'allowed',
        name: 'My DAW',
        decided_at: '2026-01-01T00:00:00.000Z',
      });
    };
    const result = await decideAccess(server, 'https://a.example', 'allowed', fetcher);
    expect(result.decision).toBe('allowed');
    expect(seen[0]!.url).toBe('http://127.0.0.1:8000/api/access/https%3A%2F%2Fa.example');
    expect(seen[0]!.init?.method).toBe('PUT');
    expect(JSON.parse(String(seen[0]!.init?.body))).toEqual({ decision: 'allowed' });
    expect(new Headers(seen[0]!.init?.headers).get('authorization')).toBe('Bearer secret');
  });

  it("rejects with the server's message, and refuses an answer the contract does not allow", async () => {
    const refused = async () => answer(403, { error: { code: 'forbidden', message: 'Only the paired extension.' } });
    await expect(listAccess(server, refused)).rejects.toThrow('Only the paired extension.');
    const odd = async () => answer(200, { origins: 'none' });
    await expect(revokeAccess(server, 'https://a.example', odd)).rejects.toThrow();
  });
});
