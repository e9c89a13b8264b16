import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths';

const build = () =>
  execFileSync(process.execPath, ['server/scripts/build.mjs'], { cwd: PROJECT_ROOT, encoding: 'utf8' });

describe('server/scripts/build.mjs', () => {
  it('builds the bundle once, then leaves it alone while no source changed', () => {
    build();
    const bundle = join(PROJECT_ROOT, '.output/server/cli.mjs');
    const before = statSync(bundle).mtimeMs;
    expect(build()).toMatch(/up to date/);
    expect(statSync(bundle).mtimeMs).toBe(before);
  });
});
