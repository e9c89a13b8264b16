import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../log';
import { RotatingLogFile, teeLogger } from '../log-file';

const tick = () => new Promise((r) => setImmediate(r));

describe('the log file', () => {
  it('gathers the lines of one event-loop turn into one write, and rotates by size keeping three old files', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'codette-log-')), 'logs', 'codette.log');
    const file = new RotatingLogFile(path, 1000, 3);
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 5; i++) file.write(`${JSON.stringify({ round, i, pad: 'x'.repeat(40) })}\n`);
      await tick();
    }
    const rounds = (p: string) =>
      readFileSync(p, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { round: number }).round);
    // Each file stays under the limit, the newest lines are in codette.log, then .1, .2, .3; older ones are gone.
    const current = rounds(path);
    expect(current.at(-1)).toBe(11);
    expect(rounds(`${path}.1`).at(-1)).toBe(current[0]! - 1);
    expect(rounds(`${path}.3`).at(-1)).toBe(rounds(`${path}.2`)[0]! - 1);
    expect(existsSync(`${path}.4`)).toBe(false);
    for (const p of [path, `${path}.1`, `${path}.2`, `${path}.3`])
      expect(readFileSync(p).byteLength).toBeLessThanOrEqual(1000);
  });

  it('the server logger: the console at warn gets no request lines, the file at info gets them all as JSON', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'codette-log-')), 'codette.log');
    const file = new RotatingLogFile(path);
    const consoleLines: string[] = [];
    const log = teeLogger(
      createLogger('warn', (l) => consoleLines.push(l)),
      createLogger('info', file.write),
    );
    expect(log.enabled('info')).toBe(true);
    expect(log.enabled('debug')).toBe(false);
    log.info('request', { route: '/health', status: 200 });
    log.warn('slow', { ms: 300, token: 'secret-value' });
    await tick();
    expect(consoleLines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['slow']);
    const written = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(written.map((r) => r.msg)).toEqual(['request', 'slow']);
    expect(written[1]!.token).toBe('[redacted]');
  });
});
