import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ExtensionPairingState } from '../../shared/schemas/pairing';

const PAIRING_FILE = 'paired-extensions.json';
const Stored = z.object({ paired: z.array(z.string()) });
const MAX_REFUSED = 20;

/**
 * With CODETTE_EXTENSION_IDS unset, the server pairs with the first extension that calls it and refuses the others
 * until the user approves them (POST /codette/extensions, from the paired extension or a local tool). The pairing
 * is kept in the data directory, so it holds across restarts and whichever store holds the data.
 */
export class ExtensionPairing {
  readonly #paired: Set<string>;
  readonly #refused = new Set<string>();

  constructor(private readonly file?: string) {
    this.#paired = new Set(file ? readPaired(file) : []);
  }

  static inDataDir(dataDir: string): ExtensionPairing {
    return new ExtensionPairing(join(dataDir, PAIRING_FILE));
  }

  /** Whether this extension may talk to Codette; the first one ever asked is paired then and there. */
  allows(id: string): boolean {
    if (this.#paired.size === 0) this.approve(id);
    if (this.#paired.has(id)) return true;
    this.#refused.delete(id);
    this.#refused.add(id);
    if (this.#refused.size > MAX_REFUSED) this.#refused.delete(this.#refused.values().next().value!);
    return false;
  }

  isPaired(id: string): boolean {
    return this.#paired.has(id);
  }

  approve(id: string): void {
    if (this.#paired.has(id)) return;
    this.#paired.add(id);
    this.#refused.delete(id);
    if (!this.file) return;
    // Written once per pairing: a small synchronous write, replaced atomically.
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ paired: [...this.#paired] }, null, 2) + '\n', { mode: 0o600 });
    renameSync(temp, this.file);
  }

  state(): ExtensionPairingState {
    return { paired: [...this.#paired], refused: [...this.#refused] };
  }
}

function readPaired(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const parsed = Stored.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data.paired.map((id) => id.toLowerCase()) : [];
}
