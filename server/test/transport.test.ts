import { describe, expect, it } from 'vitest';
import { Transport, TransportRejection } from '../transport/transport';
import { toMusicalPosition } from '../transport/musical-time';
import { TransportCommand } from '../../shared/schemas/transport';

const rest = { source: 'rest' as const, client: null };

function clockedTransport() {
  let now = 1000;
  const transport = new Transport(() => now);
  return { transport, advance: (seconds: number) => (now += seconds * 1000) };
}

describe('transport clock', () => {
  it('advances the position with the clock while playing and freezes it when paused', () => {
    const { transport, advance } = clockedTransport();
    transport.apply({ action: 'play' }, rest);
    advance(2.5);
    expect(transport.positionSeconds()).toBeCloseTo(2.5);
    transport.apply({ action: 'pause' }, rest);
    advance(10);
    expect(transport.positionSeconds()).toBeCloseTo(2.5);
    expect(transport.snapshot().state).toBe('paused');
    transport.apply({ action: 'resume' }, rest);
    advance(1);
    expect(transport.positionSeconds()).toBeCloseTo(3.5);
  });

  it('stops where it is, and a second stop returns to the start', () => {
    const { transport, advance } = clockedTransport();
    transport.apply({ action: 'play' }, rest);
    advance(4);
    transport.apply({ action: 'stop' }, rest);
    expect(transport.positionSeconds()).toBeCloseTo(4);
    transport.apply({ action: 'stop' }, rest);
    expect(transport.positionSeconds()).toBe(0);
  });

  it('wraps the position at the loop end once the playhead is inside the loop', () => {
    const { transport, advance } = clockedTransport();
    transport.apply({ action: 'loop', enabled: true, start_seconds: 2, end_seconds: 4 }, rest);
    transport.apply({ action: 'seek', time_seconds: 1 }, rest);
    transport.apply({ action: 'play' }, rest);
    advance(2.5); // raw 3.5: inside the loop
    expect(transport.positionSeconds()).toBeCloseTo(3.5);
    advance(1); // raw 4.5 -> 2.5
    expect(transport.positionSeconds()).toBeCloseTo(2.5);
    advance(2); // raw 6.5 -> 2.5 again (one full 2 s cycle later)
    expect(transport.positionSeconds()).toBeCloseTo(2.5);
  });

  it('does not wrap a playhead that started after the loop end', () => {
    const { transport, advance } = clockedTransport();
    transport.apply({ action: 'loop', enabled: true, start_seconds: 0, end_seconds: 2 }, rest);
    transport.apply({ action: 'seek', time_seconds: 5 }, rest);
    transport.apply({ action: 'play' }, rest);
    advance(3);
    expect(transport.positionSeconds()).toBeCloseTo(8);
  });

  it('loops the four bars around the playhead when looping is switched on without a region', () => {
    const { transport } = clockedTransport();
    transport.apply({ action: 'seek', bar: 6 }, rest); // 120 bpm 4/4: a bar is 2 s, bar 6 starts at 10 s
    const state = transport.apply({ action: 'loop', enabled: true }, rest);
    expect(state.loop).toEqual({ enabled: true, start_seconds: 10, end_seconds: 18 });
  });

  it('refuses a loop that ends before it starts, naming the field', () => {
    const { transport } = clockedTransport();
    expect(() => transport.apply({ action: 'loop', enabled: true, start_seconds: 4, end_seconds: 4 }, rest)).toThrow(
      TransportRejection,
    );
  });

  it('keeps the musical position when the tempo changes', () => {
    const { transport } = clockedTransport();
    transport.apply({ action: 'seek', bar: 5 }, rest); // 8 s at 120 bpm
    const state = transport.apply({ action: 'tempo', bpm: 60 }, rest);
    expect(state.position.bar).toBe(5);
    expect(state.position.seconds).toBeCloseTo(16);
  });

  it('seeks to a bar and beat in the current time signature', () => {
    const { transport } = clockedTransport();
    transport.apply({ action: 'time_signature', numerator: 6, denominator: 8 }, rest);
    const state = transport.apply({ action: 'seek', bar: 3, beat: 4 }, rest);
    // 6/8 at 120 (quarter) bpm: an eighth is 0.25 s, a bar 1.5 s; bar 3 beat 4 = 2 bars + 3 eighths = 3.75 s
    expect(state.position.seconds).toBeCloseTo(3.75);
    expect(state.position.display).toBe('3.4.000');
  });

  it('starts rolling when recording is switched on, and stop ends the recording', () => {
    const { transport } = clockedTransport();
    expect(transport.apply({ action: 'record', enabled: true }, rest)).toMatchObject({
      recording: true,
      playing: true,
    });
    expect(transport.apply({ action: 'stop' }, rest)).toMatchObject({ recording: false, playing: false });
  });

  it('counts revisions and records who changed it last', () => {
    const { transport } = clockedTransport();
    transport.apply({ action: 'metronome', enabled: true }, { source: 'ws', client: 'peer-1' });
    const s = transport.snapshot();
    expect(s.revision).toBe(1);
    expect(s.metronome).toBe(true);
    expect(s.changed_by).toMatchObject({ source: 'ws', client: 'peer-1' });
  });

  it('takes what the DAW reports, and ignores a report that changes nothing', () => {
    const { transport, advance } = clockedTransport();
    const changed = transport.report(
      { playing: true, position_seconds: 30, bpm: 90 },
      { source: 'daw', client: 'tab' },
    );
    expect(changed).toMatchObject({ playing: true, bpm: 90 });
    advance(1);
    expect(transport.positionSeconds()).toBeCloseTo(31);
    expect(transport.report({ playing: true, bpm: 90 }, { source: 'daw', client: 'tab' })).toBeUndefined();
    expect(transport.revision).toBe(1);
  });

  it('notifies listeners with the command that changed the state', () => {
    const { transport } = clockedTransport();
    const seen: string[] = [];
    transport.onChange(({ command, state }) => seen.push(`${command?.action}:${state.state}`));
    transport.apply({ action: 'play' }, rest);
    transport.apply({ action: 'stop' }, rest);
    expect(seen).toEqual(['play:playing', 'stop:stopped']);
  });
});

describe('DAW reports against commands (the DAW is the truth)', () => {
  const tab = { source: 'daw' as const, client: 'ext-1' };

  it('a command that did nothing in the DAW is undone by the outcome report, which says why', () => {
    const { transport } = clockedTransport();
    transport.report({ playing: false, site: 'http://127.0.0.1:5000', tab_id: 7 }, tab);
    expect(transport.apply({ action: 'play' }, rest)).toMatchObject({ playing: true, pending: { action: 'play' } });
    // The DAW's reading did not change (still stopped): the adapter reports anyway, with the outcome.
    const after = transport.report(
      {
        playing: false,
        site: 'http://127.0.0.1:5000',
        tab_id: 7,
        outcome: { action: 'play', ok: false, reason: 'control_not_found' },
      },
      tab,
    );
    expect(after).toMatchObject({
      playing: false,
      pending: null,
      daw: { site: 'http://127.0.0.1:5000', tab_id: 7, outcome: { ok: false, reason: 'control_not_found' } },
    });
  });

  it('a confirmed command clears the pending mark and is published once more with its outcome', () => {
    const { transport } = clockedTransport();
    transport.report({ playing: false, site: 'https://daw.example' }, tab);
    transport.apply({ action: 'play' }, rest);
    const seen: boolean[] = [];
    transport.onChange(({ state }) => seen.push(state.playing));
    const after = transport.report(
      { playing: true, outcome: { action: 'play', ok: true, via: 'button' }, site: 'https://daw.example' },
      tab,
    );
    expect(after).toMatchObject({ playing: true, pending: null, daw: { outcome: { ok: true } } });
    expect(seen).toEqual([true]);
  });

  it('never keeps "playing" over a DAW that reports it stopped, even while a play command is pending', () => {
    const { transport } = clockedTransport();
    transport.report({ playing: false, site: 'https://daw.example' }, tab);
    transport.apply({ action: 'play' }, rest);
    expect(transport.report({ playing: false, site: 'https://daw.example' }, tab)).toMatchObject({
      playing: false,
      pending: null,
    });
    transport.apply({ action: 'play' }, rest);
    expect(
      transport.report(
        { playing: false, site: 'https://daw.example', outcome: { action: 'play', ok: false, reason: 'no_effect' } },
        tab,
      )?.playing,
    ).toBe(false);
    expect(transport.snapshot()).toMatchObject({
      playing: false,
      pending: null,
      daw: { outcome: { reason: 'no_effect' } },
    });
  });

  it('a failed command leaves nothing of itself behind, also where the DAW cannot show that field (record on a canvas app)', () => {
    const { transport } = clockedTransport();
    transport.report({ playing: false, site: 'https://daw.example' }, tab);
    expect(transport.apply({ action: 'record', enabled: true }, rest)).toMatchObject({
      recording: true,
      playing: true,
    });
    const after = transport.report(
      {
        playing: false,
        site: 'https://daw.example',
        outcome: { action: 'record', ok: false, reason: 'control_not_found' },
      },
      tab,
    );
    expect(after).toMatchObject({ recording: false, playing: false, pending: null });
    transport.apply({ action: 'tempo', bpm: 90 }, rest);
    expect(
      transport.report(
        { site: 'https://daw.example', outcome: { action: 'tempo', ok: false, reason: 'not_supported' } },
        tab,
      )?.bpm,
    ).toBe(120);
  });

  it("drops a pending mark the DAW tab never answered (tab closed), keeping the command's state", () => {
    const { transport, advance } = clockedTransport();
    transport.report({ playing: false, site: 'https://daw.example' }, tab);
    transport.apply({ action: 'play' }, rest);
    advance(5);
    expect(transport.snapshot().pending).toMatchObject({ action: 'play' });
    advance(11);
    expect(transport.snapshot()).toMatchObject({ pending: null, playing: true });
  });

  it('marks nothing pending while no DAW tab has reported (the server alone is the transport then)', () => {
    const { transport } = clockedTransport();
    expect(transport.apply({ action: 'play' }, rest)).toMatchObject({ playing: true, pending: null, daw: null });
  });

  it('records which tab and origin reported, and publishes a change of reporting tab', () => {
    const { transport } = clockedTransport();
    transport.report({ playing: false, site: 'https://a.example', tab_id: 1 }, tab);
    const r = transport.revision;
    expect(transport.report({ playing: false, site: 'https://b.example', tab_id: 2 }, tab)).toMatchObject({
      daw: { site: 'https://b.example', tab_id: 2, client: 'ext-1' },
    });
    expect(transport.revision).toBe(r + 1);
  });
});

describe('musical time', () => {
  it('shows bars.beats.ticks from seconds, tempo and time signature', () => {
    expect(toMusicalPosition(0, 120, { numerator: 4, denominator: 4 }).display).toBe('1.1.000');
    expect(toMusicalPosition(2.25, 120, { numerator: 4, denominator: 4 }).display).toBe('2.1.480');
    expect(toMusicalPosition(1.5, 120, { numerator: 3, denominator: 4 })).toMatchObject({ bar: 2, beat: 1, tick: 0 });
  });
});

describe('transport command schema', () => {
  it('names the field of a bad value', () => {
    const bad = TransportCommand.safeParse({ action: 'tempo', bpm: 1000 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['bpm']);
  });

  it('needs exactly one of time_seconds and bar to seek', () => {
    expect(TransportCommand.safeParse({ action: 'seek' }).success).toBe(false);
    expect(TransportCommand.safeParse({ action: 'seek', time_seconds: 1, bar: 2 }).success).toBe(false);
    expect(TransportCommand.safeParse({ action: 'seek', bar: 2 }).success).toBe(true);
  });
});
