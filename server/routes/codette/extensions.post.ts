import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { pairingFor } from '../../http/pairing-access';

export default implement(api['extensions.approve'], ({ event, services, body }) => {
  const pairing = pairingFor(event, services);
  pairing.approve(body.id);
  return pairing.state();
});
