import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../paths';
import { INTEGRATION } from './test-projects';

/** Test files under a folder, as paths from the project root. */
function testFiles(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const path = `${dir}/${d.name}`;
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : testFiles(path);
    return d.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The patterns of INTEGRATION are file paths or `folder/**\/*.test.ts`. */
const matches = (pattern: string, file: string) =>
  pattern.endsWith('/**/*.test.ts') ? file.startsWith(pattern.slice(0, -'**/*.test.ts'.length)) : pattern === file;
const isIntegration = (file: string) => INTEGRATION.some((p) => matches(p, file));
const SELF = 'server/test/test-projects.test.ts';

/** What makes a test an integration test (see test-projects.ts). */
const HEAVY: [RegExp, string][] = [
  [/\bstartTestServer\b|\bstartServer\b/, 'starts the Codette server'],
  [/from 'node:child_process'/, 'runs child processes'],
  [/@electric-sql\/pglite|pg-harness/, 'runs PostgreSQL (PGlite)'],
  [/\.output\//, 'reads built files'],
];

describe('the unit project stays fast', () => {
  const all = ['server', 'shared', 'supabase'].flatMap(testFiles);
  // This file names the patterns it looks for; the package project (server/scripts/test) is on its own.
  const unit = all.filter((f) => f !== SELF && !f.startsWith('server/scripts/test/') && !isIntegration(f));

  it('every pattern of the integration list names test files that exist', () => {
    for (const p of INTEGRATION)
      expect(
        all.some((f) => matches(p, f)),
        p,
      ).toBe(true);
  });

  it('no unit test file starts a server, a child process or PGlite, or reads built files', () => {
    expect(unit.length).toBeGreaterThan(20);
    const heavy = unit.flatMap((f) => {
      const text = readFileSync(join(PROJECT_ROOT, f), 'utf8');
      return HEAVY.filter(([re]) => re.test(text)).map(
        ([, why]) => `${f} ${why}: list it in server/test/test-projects.ts`,
      );
    });
    expect(heavy).toEqual([]);
  });
});
