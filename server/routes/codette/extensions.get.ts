import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { pairingFor } from '../../http/pairing-access';

export default implement(api['extensions.list'], ({ event, services }) => pairingFor(event, services).state());
