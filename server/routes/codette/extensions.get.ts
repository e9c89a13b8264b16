import { ExtensionPairingState } from '../../../shared/schemas/pairing';
import { defineRoute } from '../../http/route';
import { pairingFor } from '../../http/pairing-access';

export default defineRoute({
  method: 'GET',
  path: '/codette/extensions',
  summary:
    'The extensions this server talks to (paired) and those it refused lately, when CODETTE_EXTENSION_IDS is unset',
  description: 'Only for the paired extension and local tools (no Origin): a web page gets 403.',
  tag: 'service',
  response: ExtensionPairingState,
  errors: [409],
  handler: ({ event, services }) => pairingFor(event, services).state(),
});
