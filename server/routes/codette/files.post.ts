import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { resolveUserId } from '../../users';
import { receiveUpload } from '../../files/upload';

export default implement(
  api['files.upload'],
  async ({ event, services, query }) =>
    (await receiveUpload(event, services, await resolveUserId(event, services), query.session_id)).record,
);
