import { ApproveExtensionBody, ExtensionPairingState } from '../../../shared/schemas/pairing';
import { defineRoute } from '../../http/route';
import { pairingFor } from '../../http/pairing-access';

export default defineRoute({
  method: 'POST',
  path: '/codette/extensions',
  summary: 'Approve another extension ({id}: the host of its chrome-extension:// or moz-extension:// origin)',
  description:
    'Only from the paired extension or a local tool (no Origin): a web page or an unpaired extension gets 403.',
  tag: 'service',
  body: ApproveExtensionBody,
  response: ExtensionPairingState,
  errors: [400, 409, 415],
  handler: ({ event, services, body }) => {
    const pairing = pairingFor(event, services);
    pairing.approve(body.id);
    return pairing.state();
  },
});
