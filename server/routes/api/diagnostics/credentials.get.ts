import { Credentials } from '../../../../shared/schemas/diagnostics';
import { defineRoute } from '../../../http/route';
import { inspectCredentials } from '../../../diagnostics/credentials';

export default defineRoute({
  method: 'GET',
  path: '/api/diagnostics/credentials',
  summary: 'Which Supabase settings are present and which role each key carries (values never shown)',
  tag: 'diagnostics',
  response: Credentials,
  handler: ({ services }) => inspectCredentials(services),
});
