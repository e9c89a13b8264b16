import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';

export default implement(api['transport.status'], ({ services }) => services.transport.snapshot());
