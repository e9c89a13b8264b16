import { z } from 'zod';

/** The native messaging host's name (`codette install-browser-host` registers it; the extension calls it). */
export const NATIVE_HOST_NAME = 'dev.codette.host';

/** What the extension sends the host: `start` starts Codette if it is not running; `status` only looks. */
export const NativeHostRequest = z.object({ type: z.enum(['start', 'status']) });
export type NativeHostRequest = z.infer<typeof NativeHostRequest>;

/** The host's one answer. */
export const NativeHostReply = z.object({
  ok: z.boolean(),
  running: z.boolean(),
  url: z.string().optional(),
  version: z.string().optional(),
  /** true: this request started it; false: it was already running. */
  started: z.boolean().optional(),
  error: z.string().optional(),
});
export type NativeHostReply = z.infer<typeof NativeHostReply>;
