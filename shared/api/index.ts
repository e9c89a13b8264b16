import type { Endpoint, EndpointSpec } from './define';
import { accessEndpoints } from './access';
import { analysisEndpoints } from './analysis';
import { examplesEndpoints } from './examples';
import { chatEndpoints } from './chat';
import { diagnosticsEndpoints } from './diagnostics';
import { filesEndpoints } from './files';
import { historyEndpoints } from './history';
import { serviceEndpoints } from './service';
import { transportEndpoints } from './transport';

type ByName<L extends readonly Endpoint[]> = { readonly [E in L[number] as E['name']]: E };

function byName<const L extends readonly Endpoint[]>(list: L): ByName<L> {
  const out: Record<string, Endpoint> = {};
  for (const e of list) {
    if (out[e.name]) throw new Error(`two endpoints are named ${e.name}`);
    out[e.name] = e;
  }
  return Object.freeze(out) as ByName<L>;
}

/** Every HTTP endpoint of Codette, keyed by its operation name: the one description server, docs and client share. */
export const api = byName([
  ...serviceEndpoints,
  ...diagnosticsEndpoints,
  ...transportEndpoints,
  ...chatEndpoints,
  ...historyEndpoints,
  ...filesEndpoints,
  ...analysisEndpoints,
  ...accessEndpoints,
  ...examplesEndpoints,
]);
export type Api = typeof api;
export type OperationName = keyof Api;

/** The endpoints as a list, in the order above (the OpenAPI document's order). */
export const endpoints: readonly Endpoint<EndpointSpec>[] = Object.values(api);

export { socket } from './socket';
// What the client (shared/client) takes from here; other derived types are imported from ./define directly.
export type { Endpoint, EndpointInput, OkOf, SseEventOf } from './define';
