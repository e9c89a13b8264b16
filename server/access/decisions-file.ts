import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { OriginAccess, WebOrigin } from '../../shared/api/access';

const Stored = z.object({ origins: z.array(OriginAccess.extend({ origin: WebOrigin })) });

/** The decisions kept in the data directory; none when the file is missing or unreadable (the pages ask again). */
export function readDecisions(file: string): OriginAccess[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  try {
    const parsed = Stored.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.origins : [];
  } catch {
    return [];
  }
}

/** Written once per decision: a small synchronous write, replaced atomically, readable by the user only. */
export function writeDecisions(file: string, origins: OriginAccess[]): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ origins }, null, 2) + '\n', { mode: 0o600 });
  renameSync(temp, file);
}
