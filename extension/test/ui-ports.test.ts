/** The background's side of the pages' ports: parsed messages in, one snapshot per turn out; and its notices. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FromUi } from '../../shared/schemas/extension';
import { Notices } from '../entrypoints/background/notices';
import { UiPorts, type PortLike } from '../entrypoints/background/ui-ports';
import type { UiSnapshot } from '../lib/messages';
import type { OutboxEntry } from '../lib/outbox';

function fakePort() {
  const received: unknown[] = [];
  let onMessage: (m: unknown) => void = () => undefined;
  let onDisconnect: () => void = () => undefined;
  const port: PortLike = {
    postMessage: (m) => void received.push(m),
    onMessage: { addListener: (fn) => void (onMessage = fn) },
    onDisconnect: { addListener: (fn) => void (onDisconnect = fn) },
  };
  return { port, received, send: (m: unknown) => onMessage(m), disconnect: () => onDisconnect() };
}

const snapshot = (n: number) => ({ notices: [], outbox: [], n }) as unknown as UiSnapshot;

describe('ui ports', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("calls the browser's queueMicrotask as browsers require (not as a method: that is an Illegal invocation)", async () => {
    const real = globalThis.queueMicrotask;
    vi.stubGlobal('queueMicrotask', function (this: unknown, fn: () => void) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      real(fn);
    });
    const ui = new UiPorts(
      () => snapshot(1),
      () => undefined,
    );
    const page = fakePort();
    ui.add(page.port);
    expect(() => ui.push()).not.toThrow();
    await Promise.resolve();
    expect(page.received).toHaveLength(2);
  });

  it('gives a page the snapshot when it connects, and passes on only messages that parse', () => {
    const got: FromUi[] = [];
    const ui = new UiPorts(
      () => snapshot(0),
      (m) => got.push(m),
    );
    const page = fakePort();
    ui.add(page.port);
    expect(page.received).toEqual([{ type: 'snapshot', snapshot: snapshot(0) }]);
    page.send({ type: 'chat_select', sessionId: 's1' });
    page.send({ type: 'chat_select' }); // no session id
    page.send({ type: 'transport', command: { action: 'tempo', bpm: 9000 } }); // out of range
    page.send({ type: 'format_disk' });
    page.send('hello');
    expect(got).toEqual([{ type: 'chat_select', sessionId: 's1' }]);
    expect(ui.refused).toBe(4);
  });

  it('pushes one snapshot per turn however many changes, to every page still open', async () => {
    let n = 0;
    const queued: (() => void)[] = [];
    const ui = new UiPorts(
      () => snapshot(++n),
      () => undefined,
      (fn) => queued.push(fn),
    );
    const a = fakePort();
    const b = fakePort();
    const gone = fakePort();
    [a, b, gone].forEach((p) => ui.add(p.port));
    gone.disconnect();
    ui.push();
    ui.push();
    ui.push();
    expect(queued).toHaveLength(1);
    queued[0]!();
    expect(a.received.at(-1)).toEqual({ type: 'snapshot', snapshot: snapshot(4) });
    expect(b.received).toHaveLength(2);
    expect(gone.received).toHaveLength(1);
    expect(ui.size).toBe(2);
  });

  it('forgets a port that throws on post (closed without a disconnect event)', () => {
    const ui = new UiPorts(
      () => snapshot(0),
      () => undefined,
    );
    const ok = fakePort();
    const closing = fakePort();
    ui.add(ok.port);
    ui.add(closing.port);
    closing.port.postMessage = () => {
      throw new Error('port closed');
    };
    ui.post({ type: 'chat_delta', id: 'x', delta: 'a' });
    expect(ui.size).toBe(1);
    expect(ok.received.at(-1)).toEqual({ type: 'chat_delta', id: 'x', delta: 'a' });
  });
});

describe('notices', () => {
  const entry = (id: string, message: string): OutboxEntry => ({
    id,
    createdAt: 0,
    message: { type: 'chat', id, request: { message } },
  });

  it('groups expired messages in one notice that names them, and gives each refusal its own', () => {
    const notices = new Notices(() => 1000);
    expect(
      notices.dropped([
        { entry: entry('a', 'first question'), reason: 'expired' },
        { entry: entry('b', 'second question'), reason: 'overflow' },
        { entry: entry('c', 'third'), reason: 'rejected', detail: 'invalid_request: too long' },
      ]),
    ).toBe(true);
    expect(notices.list.map((n) => [n.kind, n.count ?? null, n.detail])).toEqual([
      ['expired', 2, 'first question · second question'],
      ['rejected', null, 'invalid_request: too long'],
    ]);
    notices.dismiss(notices.list[0]!.id);
    expect(notices.list.map((n) => n.kind)).toEqual(['rejected']);
    expect(notices.dropped([])).toBe(false);
  });

  it('keeps the last ten', () => {
    let t = 0;
    const notices = new Notices(() => ++t);
    for (let i = 0; i < 15; i++) notices.dropped([{ entry: entry(`e${i}`, 'q'), reason: 'rejected', detail: `${i}` }]);
    expect(notices.list.map((n) => n.detail)).toEqual(['5', '6', '7', '8', '9', '10', '11', '12', '13', '14']);
  });
});
