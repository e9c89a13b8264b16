import { readFileSync } from 'node:fs';

/** The version in package.json, read once: what /health and the hello message report. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
