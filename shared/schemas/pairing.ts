import { z } from 'zod';

/** An extension's id as its origin carries it: Chrome's 32 letters, Firefox's per-install UUID. */
export const ExtensionId = z
  .string()
  .regex(
    /^[a-zA-Z0-9-]{1,64}$/,
    'an extension id: letters, digits and dashes (the host of its chrome-extension:// or moz-extension:// origin)',
  )
  .transform((id) => id.toLowerCase());

export const ApproveExtensionBody = z.object({ id: ExtensionId });
export type ApproveExtensionBody = z.infer<typeof ApproveExtensionBody>;

/** The extensions this server talks to, and the ones it refused lately (to approve one, the user needs its id). */
export const ExtensionPairingState = z.object({
  paired: z.array(z.string()),
  refused: z.array(z.string()),
});
export type ExtensionPairingState = z.infer<typeof ExtensionPairingState>;
