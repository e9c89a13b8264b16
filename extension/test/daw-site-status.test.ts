import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import DawSiteStatus from '../components/DawSiteStatus.vue';
import type { FromUi, UiSnapshot } from '../lib/messages';

/** The panel's DAW-site strip: the question on a new site, the plain failure, teach mode's steps and result. */
const snapshot = (patch: Partial<UiSnapshot>): UiSnapshot => ({
  connection: null as unknown as UiSnapshot['connection'],
  transport: null,
  daw: null,
  outbox: [],
  notices: [],
  ...patch,
});
const daw = {
  tabId: 3,
  site: 'http://127.0.0.1:5173',
  title: 'Beats',
  observed: { playing: false },
  controls: [],
  at: 0,
};

describe('DAW site strip in the panel', () => {
  it('asks before Codette acts on a new site, and sends the answer with its origin', async () => {
    const w = mount(DawSiteStatus, {
      props: { snapshot: snapshot({ siteRequest: { tabId: 3, site: 'http://127.0.0.1:5173', title: 'Beats' } }) },
    });
    expect(w.get('[data-testid=site-request]').text()).toContain('http://127.0.0.1:5173');
    await w.get('[data-testid=site-allow]').trigger('click');
    await w.get('[data-testid=site-deny]').trigger('click');
    expect(w.emitted('send')).toEqual([
      [{ type: 'site_permission', site: 'http://127.0.0.1:5173', allow: true } satisfies FromUi],
      [{ type: 'site_permission', site: 'http://127.0.0.1:5173', allow: false } satisfies FromUi],
    ]);
    w.unmount();
  });

  it('says that the play button was not found, and offers to teach it', async () => {
    const w = mount(DawSiteStatus, {
      props: {
        snapshot: snapshot({ daw: { ...daw, outcome: { action: 'play', ok: false, reason: 'control_not_found' } } }),
      },
    });
    expect(w.get('[data-testid=daw-failure]').text()).toBe('dawNotFound(play)');
    await w.get('[data-testid=teach-start]').trigger('click');
    expect(w.emitted('send')).toEqual([[{ type: 'teach', step: 'start' }]]);
    w.unmount();
  });

  it('shows no failure after a command that worked', () => {
    const w = mount(DawSiteStatus, {
      props: { snapshot: snapshot({ daw: { ...daw, outcome: { action: 'play', ok: true, via: 'button' } } }) },
    });
    expect(w.find('[data-testid=daw-failure]').exists()).toBe(false);
    w.unmount();
  });

  it('walks through teach mode and says honestly what was verified and what was not taught', async () => {
    const teaching = snapshot({
      daw,
      teach: { tabId: 3, site: daw.site, step: 'record', learnt: { play: '#a', stop: '#b' } },
    });
    const w = mount(DawSiteStatus, { props: { snapshot: teaching } });
    expect(w.get('[data-testid=teach]').attributes('data-step')).toBe('record');
    await w.get('[data-testid=teach-skip]').trigger('click');
    await w.setProps({
      snapshot: snapshot({
        daw,
        teach: {
          tabId: 3,
          site: daw.site,
          step: null,
          learnt: { play: '#a', stop: '#b' },
          verified: { play: true, stop: false },
        },
      }),
    });
    expect(w.get('[data-testid=teach-result]').attributes('data-verified')).toBe('false');
    expect(w.get('[data-testid=teach-result]').text()).toBe('teachNotVerified(stop)');
    expect(w.text()).toContain('teachMissing(record, loop, tempo)');
    w.unmount();
  });
});
