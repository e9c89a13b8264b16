import { BUILTIN_PROFILES } from './builtin';

/** Where the content scripts run without asking: local pages (the demo, fixtures, self-hosted DAWs) and the known DAWs. */
export const DAW_MATCHES = ['http://localhost/*', 'http://127.0.0.1/*', ...BUILTIN_PROFILES.map((p) => `${p.match}/*`)];
