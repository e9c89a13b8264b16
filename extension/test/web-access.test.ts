import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { AccessEvent, PendingAccess } from '../../shared/api/access';
import WebAccessPrompt from '../components/WebAccessPrompt.vue';
import { applyAccessEvent, stillWaiting } from '../lib/web-access';

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
