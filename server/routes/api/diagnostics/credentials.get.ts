import { api } from '../../../../shared/api/index';
import { implement } from '../../../http/route';
import { inspectCredentials } from '../../../diagnostics/credentials';

export default implement(api['diagnostics.credentials'], ({ services }) => inspectCredentials(services));
