import type {
  ChangeSource,
  DawReport,
  DawSource,
  TimeSignature,
  TransportCommand,
  TransportState,
} from '../../shared/schemas/transport';
import { DEFAULT_BPM } from '../../shared/constants';
import { barSeconds, barToSeconds, toMusicalPosition } from './musical-time';

export interface ChangeOrigin {
  source: ChangeSource;
  client: string | null;
}

export interface TransportChange {
  state: TransportState;
  command?: TransportCommand;
}

/** A command that is well-formed but cannot apply to the current state (e.g. a loop that would end before it starts). */
export class TransportRejection extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type PlayState = TransportState['state'];

/** How long a command waits for the DAW tab's outcome (sound-only apps take up to 8 s to confirm). */
const PENDING_MS = 15_000;

/** Commands a DAW tab carries out and confirms; the others (seek, time signature) are the server's own. */
const DAW_ACTIONS = new Set<string>(['play', 'pause', 'resume', 'stop', 'record', 'loop', 'metronome', 'tempo']);

/**
 * The one authoritative transport of this server. The position follows a monotonic clock from an anchor
 * (position at a moment), so reading it costs nothing and needs no timer; the loop region wraps it.
 */
export class Transport {
  #state: PlayState = 'stopped';
  #anchorSeconds = 0;
  #anchorAt: number;
  #bpm = DEFAULT_BPM;
  #ts: TimeSignature = { numerator: 4, denominator: 4 };
  #loop = { enabled: false, start_seconds: 0, end_seconds: 0 };
  #recording = false;
  #metronome = false;
  #changedBy: TransportState['changed_by'];
  #revision = 0;
  /** A command's state that the DAW tab has not confirmed yet (only while a DAW tab is known). */
  #pending: { action: string; since: string; at: number } | null = null;
  /** What a pending command changed, to put back if the DAW says it could not carry it out. */
  #undo: (() => void) | null = null;
  #daw: DawSource | null = null;
  readonly #listeners = new Set<(change: TransportChange) => void>();

  constructor(private readonly now: () => number = () => performance.now()) {
    this.#anchorAt = now();
    this.#changedBy = { source: 'server', client: null, at: new Date().toISOString() };
  }

  get playing(): boolean {
    return this.#state === 'playing';
  }

  get revision(): number {
    return this.#revision;
  }

  onChange(listener: (change: TransportChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Position in seconds now, wrapped by the loop when the playhead entered it before its end. */
  positionSeconds(at = this.now()): number {
    if (this.#state !== 'playing') return this.#anchorSeconds;
    const raw = this.#anchorSeconds + (at - this.#anchorAt) / 1000;
    const { enabled, start_seconds: start, end_seconds: end } = this.#loop;
    if (enabled && end > start && this.#anchorSeconds < end && raw >= end) {
      return start + ((raw - start) % (end - start));
    }
    return raw;
  }

  snapshot(at = this.now()): TransportState {
    return {
      state: this.#state,
      playing: this.#state === 'playing',
      recording: this.#recording,
      position: toMusicalPosition(this.positionSeconds(at), this.#bpm, this.#ts),
      bpm: this.#bpm,
      time_signature: { ...this.#ts },
      loop: { ...this.#loop },
      metronome: this.#metronome,
      changed_by: { ...this.#changedBy },
      revision: this.#revision,
      server_time_ms: Date.now(),
      pending: this.#pendingNow(at),
      daw: this.#daw ? { ...this.#daw } : null,
    };
  }

  /** Applies a command; throws TransportRejection when it cannot apply. Returns the new state. */
  apply(command: TransportCommand, origin: ChangeOrigin): TransportState {
    const at = this.now();
    const undo = this.#saved(at);
    const position = this.positionSeconds(at);
    switch (command.action) {
      case 'play':
      case 'resume':
        if (this.#state !== 'playing') this.#setPlayState('playing', position, at);
        break;
      case 'pause':
        if (this.#state === 'playing') this.#setPlayState('paused', position, at);
        break;
      case 'stop':
        // As on a Mackie control surface: the first Stop halts where it is, a second Stop returns to the start.
        this.#setPlayState('stopped', this.#state === 'stopped' ? 0 : position, at);
        this.#recording = false;
        break;
      case 'record':
        this.#recording = command.enabled;
        if (command.enabled && this.#state !== 'playing') this.#setPlayState('playing', position, at);
        break;
      case 'seek': {
        const target = command.time_seconds ?? barToSeconds(command.bar ?? 1, command.beat ?? 1, this.#bpm, this.#ts);
        this.#anchorSeconds = target;
        this.#anchorAt = at;
        break;
      }
      case 'tempo': {
        // Musical positions stay where they are when the tempo changes, so seconds scale.
        const scale = this.#bpm / command.bpm;
        this.#anchorSeconds = position * scale;
        this.#anchorAt = at;
        this.#loop = {
          ...this.#loop,
          start_seconds: this.#loop.start_seconds * scale,
          end_seconds: this.#loop.end_seconds * scale,
        };
        this.#bpm = command.bpm;
        break;
      }
      case 'loop':
        this.#setLoop(command, position);
        break;
      case 'time_signature':
        this.#ts = { numerator: command.numerator, denominator: command.denominator };
        break;
      case 'metronome':
        this.#metronome = command.enabled;
        break;
    }
    // Applied at once so that every client sees the command, but unconfirmed until the DAW tab reports what it did.
    if (this.#daw && origin.source !== 'daw' && DAW_ACTIONS.has(command.action)) {
      this.#pending = { action: command.action, since: new Date().toISOString(), at };
      this.#undo = undo;
    }
    return this.#commit(origin, command);
  }

  /**
   * Takes what the DAW tab observed. The DAW is the truth: what it reports wins over a commanded state, so that the
   * server never shows "playing" over a DAW that says it is stopped. A report carrying a command's outcome confirms or
   * contradicts the pending command and is always published (also when no field changed), so that every client learns
   * that a command failed and why.
   */
  report(report: DawReport, origin: ChangeOrigin): TransportState | undefined {
    const at = this.now();
    let changed = false;
    if (report.outcome && !report.outcome.ok && this.#pending?.action === report.outcome.action && this.#undo) {
      // The DAW could not do it: what the command changed goes back as it was, then the DAW's report applies.
      this.#undo();
      changed = true;
    }
    const position = report.position_seconds ?? this.positionSeconds(at);
    if (report.playing !== undefined && report.playing !== this.playing) {
      this.#setPlayState(report.playing ? 'playing' : position === 0 ? 'stopped' : 'paused', position, at);
      changed = true;
    } else if (
      report.position_seconds !== undefined &&
      Math.abs(report.position_seconds - this.positionSeconds(at)) > 0.05
    ) {
      this.#anchorSeconds = report.position_seconds;
      this.#anchorAt = at;
      changed = true;
    }
    if (report.recording !== undefined && report.recording !== this.#recording) {
      this.#recording = report.recording;
      changed = true;
    }
    if (report.bpm !== undefined && report.bpm !== this.#bpm) {
      this.#bpm = report.bpm;
      changed = true;
    }
    if (report.metronome !== undefined && report.metronome !== this.#metronome) {
      this.#metronome = report.metronome;
      changed = true;
    }
    if (
      report.time_signature &&
      (report.time_signature.numerator !== this.#ts.numerator ||
        report.time_signature.denominator !== this.#ts.denominator)
    ) {
      this.#ts = { ...report.time_signature };
      changed = true;
    }
    if (report.loop) {
      const next = {
        enabled: report.loop.enabled,
        start_seconds: report.loop.start_seconds ?? this.#loop.start_seconds,
        end_seconds: report.loop.end_seconds ?? this.#loop.end_seconds,
      };
      if (
        next.enabled !== this.#loop.enabled ||
        next.start_seconds !== this.#loop.start_seconds ||
        next.end_seconds !== this.#loop.end_seconds
      ) {
        this.#loop = next;
        changed = true;
      }
    }
    const site = report.site ?? null;
    const tab = report.tab_id ?? null;
    const outcome = report.outcome ?? null;
    const sourceChanged =
      !this.#daw || this.#daw.site !== site || this.#daw.tab_id !== tab || this.#daw.client !== origin.client;
    this.#daw = {
      site,
      tab_id: tab,
      client: origin.client,
      at: new Date().toISOString(),
      outcome: outcome ?? (sourceChanged ? null : this.#daw!.outcome),
    };
    if (this.#pending && (outcome || changed)) {
      // Confirmed (the DAW did it) or contradicted (the DAW's state, reported above, stands).
      this.#pending = null;
      this.#undo = null;
      changed = true;
    }
    return changed || outcome || sourceChanged ? this.#commit(origin) : undefined;
  }

  /** The pending command, unless the DAW tab never answered it (closed, or its extension gone): then it is dropped. */
  #pendingNow(at: number): { action: string; since: string } | null {
    if (this.#pending && at - this.#pending.at > PENDING_MS) {
      this.#pending = null;
      this.#undo = null;
    }
    return this.#pending ? { action: this.#pending.action, since: this.#pending.since } : null;
  }

  /** A way back to the state before a command (play state, position, recording, tempo, loop, metronome). */
  #saved(at: number): () => void {
    const state = this.#state;
    const position = this.positionSeconds(at);
    const recording = this.#recording;
    const bpm = this.#bpm;
    const loop = { ...this.#loop };
    const metronome = this.#metronome;
    return () => {
      this.#setPlayState(state, position, this.now());
      this.#recording = recording;
      this.#bpm = bpm;
      this.#loop = loop;
      this.#metronome = metronome;
    };
  }

  #setPlayState(state: PlayState, position: number, at: number) {
    this.#state = state;
    this.#anchorSeconds = position;
    this.#anchorAt = at;
  }

  #setLoop(command: Extract<TransportCommand, { action: 'loop' }>, position: number) {
    let start = command.start_seconds ?? this.#loop.start_seconds;
    let end = command.end_seconds ?? this.#loop.end_seconds;
    if (command.enabled && end <= start && command.start_seconds === undefined && command.end_seconds === undefined) {
      // No region yet: loop the four bars around the playhead, as most DAWs do when cycle is switched on.
      const bar = barSeconds(this.#bpm, this.#ts);
      start = Math.floor(position / bar) * bar;
      end = start + 4 * bar;
    }
    if (command.enabled && end <= start) {
      throw new TransportRejection('end_seconds', `the loop must end after it starts (start ${start} s, end ${end} s)`);
    }
    this.#loop = { enabled: command.enabled, start_seconds: start, end_seconds: end };
  }

  #commit(origin: ChangeOrigin, command?: TransportCommand): TransportState {
    this.#revision += 1;
    this.#changedBy = { source: origin.source, client: origin.client, at: new Date().toISOString() };
    const state = this.snapshot();
    for (const listener of this.#listeners) listener(command ? { state, command } : { state });
    return state;
  }
}
