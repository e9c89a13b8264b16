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
  z.object({ action: z.literal('time_signature'), numerator: TimeSignature.shape.numerator, denominator: TimeSignature.shape.denominator }),
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
});
export type TransportState = z.infer<typeof TransportState>;

/** What a DAW tab observed of the real DAW: every field optional, only what the adapter could see. */
export const DawReport = z.object({
  playing: z.boolean().optional(),
  recording: z.boolean().optional(),
  position_seconds: Seconds.optional(),
  bpm: Bpm.optional(),
  loop: z.object({ enabled: z.boolean(), start_seconds: Seconds.optional(), end_seconds: Seconds.optional() }).optional(),
  metronome: z.boolean().optional(),
  time_signature: TimeSignature.optional(),
  site: z.string().max(200).optional(),
});
export type DawReport = z.infer<typeof DawReport>;

export const TransportResult = z.object({
  status: z.literal('ok'),
  action: z.string(),
  duplicate: z.boolean(),
  state: TransportState,
});
export type TransportResult = z.infer<typeof TransportResult>;
