import { z } from 'zod';
import { TEMPO_MAX_BPM, TEMPO_MIN_BPM } from '../constants';

const Seconds = z.number().finite().min(0).max(86_400);
const Bpm = z.number().finite().min(TEMPO_MIN_BPM).max(TEMPO_MAX_BPM);

export const TimeSignature = z.object({
  numerator: z.number().int().min(1).max(32),
  denominator: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8), z.literal(16), z.literal(32)]),
});
export type TimeSignature = z.infer<typeof TimeSignature>;

const SeekCommand = z
  .object({
    action: z.literal('seek'),
    time_seconds: Seconds.optional(),
    bar: z.number().int().min(1).max(100_000).optional(),
    beat: z.number().int().min(1).max(32).optional(),
  })
  .refine((c) => (c.time_seconds === undefined) !== (c.bar === undefined), {
    message: 'give either time_seconds or bar',
    path: ['time_seconds'],
  });

const LoopCommand = z
  .object({
    action: z.literal('loop'),
    enabled: z.boolean(),
    start_seconds: Seconds.optional(),
    end_seconds: Seconds.optional(),
  })
  .refine((c) => c.start_seconds === undefined || c.end_seconds === undefined || c.end_seconds > c.start_seconds, {
    message: 'end_seconds must be after start_seconds',
    path: ['end_seconds'],
  });

/** A transport command: the same shape over REST, WebSocket, chat actions and the extension. */
export const TransportCommand = z.discriminatedUnion('action', [
  z.object({ action: z.literal('play') }),
  z.object({ action: z.literal('pause') }),
  z.object({ action: z.literal('resume') }),
  z.object({ action: z.literal('stop') }),
  z.object({ action: z.literal('record'), enabled: z.boolean().default(true) }),
  SeekCommand,
  z.object({ action: z.literal('tempo'), bpm: Bpm }),
  LoopCommand,
  z.object({
    action: z.literal('time_signature'),
    numerator: TimeSignature.shape.numerator,
    denominator: TimeSignature.shape.denominator,
  }),
  z.object({ action: z.literal('metronome'), enabled: z.boolean() }),
]);
export type TransportCommand = z.infer<typeof TransportCommand>;
export type TransportCommandInput = z.input<typeof TransportCommand>;
export type TransportAction = TransportCommand['action'];
export const TRANSPORT_ACTIONS = TransportCommand.options.map((o) => o.shape.action.value) as TransportAction[];

/** Who made the last change: a REST caller, a WebSocket client, the DAW tab itself, Codette's chat, or the server. */
export const ChangeSource = z.enum(['rest', 'ws', 'daw', 'chat', 'server']);
export type ChangeSource = z.infer<typeof ChangeSource>;

export const TransportPosition = z.object({
  seconds: z.number(),
  bar: z.number().int(),
  beat: z.number().int(),
  tick: z.number().int(),
  /** bars.beats.ticks, 1-based, as DAWs display it, e.g. "5.1.000". */
  display: z.string(),
});
export type TransportPosition = z.infer<typeof TransportPosition>;

/** Why a DAW tab could not carry out a command (the DAW's real state is reported with it). */
export const DawFailureReason = z.enum(['control_not_found', 'no_effect', 'not_supported', 'site_not_enabled']);
export type DawFailureReason = z.infer<typeof DawFailureReason>;

/** What became of the last command in the DAW tab, checked against the DAW's own state after it. */
export const DawCommandOutcome = z.object({
  action: z.enum(TRANSPORT_ACTIONS as [TransportAction, ...TransportAction[]]),
  ok: z.boolean(),
  reason: DawFailureReason.optional(),
  /** How it was carried out: "button", "key Space", "media", "already". */
  via: z.string().max(60).optional(),
});
export type DawCommandOutcome = z.infer<typeof DawCommandOutcome>;

/** The DAW tab whose reports the transport follows, as the extension's background identified it (not the page). */
export const DawSource = z.object({
  site: z.string().max(200).nullable(),
  tab_id: z.number().int().nullable(),
  client: z.string().nullable(),
  at: z.string(),
  outcome: DawCommandOutcome.nullable(),
});
export type DawSource = z.infer<typeof DawSource>;

export const TransportState = z.object({
  state: z.enum(['stopped', 'playing', 'paused']),
  playing: z.boolean(),
  recording: z.boolean(),
  position: TransportPosition,
  bpm: z.number(),
  time_signature: TimeSignature,
  loop: z.object({ enabled: z.boolean(), start_seconds: z.number(), end_seconds: z.number() }),
  metronome: z.boolean(),
  changed_by: z.object({ source: ChangeSource, client: z.string().nullable(), at: z.string() }),
  /** Increases with every change, so a client can drop a stale update. */
  revision: z.number().int(),
  server_time_ms: z.number(),
  /**
   * A command's state not yet confirmed by the DAW tab (it is applied at once, then confirmed or contradicted by the
   * DAW's report of what really happened). Null when the last command was confirmed or no command is waiting.
   */
  pending: z.object({ action: z.string(), since: z.string() }).nullable().optional(),
  /** The DAW tab that last reported, with the outcome of the last command there. Null until one reports. */
  daw: DawSource.nullable().optional(),
});
export type TransportState = z.infer<typeof TransportState>;

/** What a DAW tab observed of the real DAW: every field optional, only what the adapter could see. */
export const DawReport = z.object({
  playing: z.boolean().optional(),
  recording: z.boolean().optional(),
  position_seconds: Seconds.optional(),
  bpm: Bpm.optional(),
  loop: z
    .object({ enabled: z.boolean(), start_seconds: Seconds.optional(), end_seconds: Seconds.optional() })
    .optional(),
  metronome: z.boolean().optional(),
  time_signature: TimeSignature.optional(),
  site: z.string().max(200).optional(),
  /** The tab the report comes from (set by the extension's background from the browser's sender, not by the page). */
  tab_id: z.number().int().min(0).optional(),
  /** Sent after each command: what the DAW did with it. The other fields then are the DAW's real state. */
  outcome: DawCommandOutcome.optional(),
});
export type DawReport = z.infer<typeof DawReport>;

export const TransportResult = z.object({
  status: z.literal('ok'),
  action: z.string(),
  duplicate: z.boolean(),
  state: TransportState,
});
export type TransportResult = z.infer<typeof TransportResult>;
