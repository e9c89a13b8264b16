import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Endpoint } from '../../shared/api/define';
import type { Route } from '../http/route';

/** A route module as found on disk: its file under server/routes/ (with `/`), and its default export. */
export interface RouteFile {
  file: string;
  route: unknown;
}

const ROUTE_FILE = /\.(get|post|put|patch|delete)\.ts$/;

/**
 * The file a contract path and method belong in: `/codette/sessions/:id` + DELETE is `codette/sessions/[id].delete.ts`,
 * `/` + GET is `index.get.ts` (nitro's convention).
 */
export function routeFileFor(endpoint: Pick<Endpoint, 'method' | 'path'>): string {
  const path = endpoint.path === '/' ? '/index' : endpoint.path;
  return `${path.slice(1).replace(/:(\w+)/g, '[$1]')}.${endpoint.method.toLowerCase()}.ts`;
}

/** Every route module under `dir`, imported. */
export async function loadRouteFiles(dir: string): Promise<RouteFile[]> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => ROUTE_FILE.test(f))
    .sort();
  return Promise.all(
    files.map(async (f) => ({
      file: relative(dir, join(dir, f)).split(sep).join('/'),
      route: ((await import(pathToFileURL(join(dir, f)).href)) as { default?: unknown }).default,
    })),
  );
}

const isRoute = (value: unknown): value is Route =>
  typeof value === 'object' && value !== null && 'endpoint' in value && 'run' in value;

/**
 * What disagrees between the route files, the mounted route table and the contract: a route without a contract
 * entry, an entry without a route, a file whose name is not its entry's path and method, a file not mounted, a
 * mounted route from no file. An empty list when all agree.
 */
export function checkRoutes(input: {
  files: readonly RouteFile[];
  table: readonly Route[];
  contract: Readonly<Record<string, Endpoint>>;
}): string[] {
  const problems: string[] = [];
  const { files, table, contract } = input;
  const fileOf = new Map<unknown, string>();
  for (const { file, route } of files) {
    if (!isRoute(route)) {
      problems.push(`${file}: its default export is not a route (bind it with implement(api[...], handler))`);
      continue;
    }
    fileOf.set(route, file);
    const expected = routeFileFor(route.endpoint);
    if (file !== expected) {
      problems.push(
        `${file}: holds ${route.endpoint.method} ${route.endpoint.path} (${route.endpoint.name}), which belongs in ${expected}`,
      );
    }
    if (!table.includes(route)) problems.push(`${file}: not listed in server/routes/index.ts`);
  }
  const served = new Map<Endpoint, Route>();
  for (const route of table) {
    const { endpoint } = route;
    const label = `${route.method} ${route.path}`;
    if (!fileOf.has(route)) problems.push(`${label}: mounted but defined in no route file`);
    if (contract[endpoint.name] !== endpoint) {
      problems.push(`${label}: no contract entry (${endpoint.name} is not in shared/api's api record)`);
      continue;
    }
    if (route.method !== endpoint.method || route.path !== endpoint.path)
      problems.push(`${label}: mounted at another place than its contract's ${endpoint.method} ${endpoint.path}`);
    if (served.has(endpoint)) problems.push(`${label}: ${endpoint.name} is served by two routes`);
    served.set(endpoint, route);
  }
  for (const [name, endpoint] of Object.entries(contract)) {
    if (endpoint.name !== name) problems.push(`contract: api['${name}'] is named ${endpoint.name}`);
    if (!served.has(endpoint))
      problems.push(
        `${name}: contract entry ${endpoint.method} ${endpoint.path} has no route (${routeFileFor(endpoint)})`,
      );
  }
  return problems;
}
