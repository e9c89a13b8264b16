import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';
import type { Dependencies } from '../../shared/schemas/diagnostics';
import type { Services } from '../services';

const PACKAGES: { name: string; purpose: string; required: boolean }[] = [
  { name: 'h3', purpose: 'HTTP routing', required: true },
  { name: 'crossws', purpose: 'WebSocket', required: true },
  { name: 'srvx', purpose: 'Node HTTP server', required: true },
  { name: 'zod', purpose: 'schemas and validation', required: true },
  { name: 'unstorage', purpose: 'answer cache', required: true },
  { name: 'better-sqlite3', purpose: 'embedded database', required: true },
  { name: '@supabase/supabase-js', purpose: 'Supabase database (optional)', required: false },
  { name: 'jose', purpose: 'Supabase token verification (optional)', required: false },
  { name: 'ws', purpose: 'WebSocket client for Supabase on Node 20', required: false },
];

async function installedVersion(name: string): Promise<string | null> {
  try {
    const pkg = JSON.parse(await readFile(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? null;
  } catch {
    return null;
  }
}

/** What Codette runs on, read from disk at call time (a package removed since start shows as missing). */
export async function readDependencies(services: Services): Promise<Dependencies> {
  const packages = await Promise.all(
    PACKAGES.map(async (p) => {
      const version = await installedVersion(p.name);
      return { ...p, version, installed: version !== null };
    }),
  );
  const supabase = services.settings.supabase;
  return {
    runtime: { node: process.version, platform: process.platform, arch: process.arch },
    packages,
    services: {
      database: { kind: services.store.kind, configured: true },
      supabase: { configured: Boolean(supabase.url && supabase.serviceRoleKey) },
    },
  };
}
