/** Another process holding Codette's database write lock (BEGIN IMMEDIATE), as a backup tool or a second server would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../paths';

const HOLDER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.exec('BEGIN IMMEDIATE');
process.stdout.write('held\\n');
process.stdin.resume();
process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
`;

export interface LockHolder {
  child: ChildProcess;
  /** Rolls back, closes and waits for the holder to exit. */
  release(): Promise<void>;
}

export async function holdWriteLock(dbPath: string): Promise<LockHolder> {
  const child = spawn(process.execPath, ['-e', HOLDER, dbPath], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => (String(d).includes('held') ? resolve() : undefined));
    child.on('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
  });
  return {
    child,
    async release() {
      child.stdin!.end();
      await exited;
    },
  };
}
