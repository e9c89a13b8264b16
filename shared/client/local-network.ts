/**
 * Chrome's Local Network Access (Chrome 142+): a public page that calls 127.0.0.1 needs the user's permission. The
 * client says which address space it means (so Chrome asks rather than guesses) and, when a call fails, tells a
 * refused permission apart from a server that is not running. Browser-only APIs are looked up, never assumed.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return LOOPBACK_HOSTS.has(host) || host.startsWith('127.') || host.endsWith('.localhost');
  } catch {
    return false;
  }
}

interface RequestPrototypeLike {
  prototype?: object;
}

/** True where the browser knows the `targetAddressSpace` fetch option (Chrome 142+). */
export function supportsTargetAddressSpace(): boolean {
  const RequestCtor = (globalThis as { Request?: RequestPrototypeLike }).Request;
  return Boolean(RequestCtor?.prototype && 'targetAddressSpace' in RequestCtor.prototype);
}

/** The fetch option to add for a call to `url`: `{ targetAddressSpace: 'loopback' }` where it applies, else nothing. */
export function addressSpaceInit(url: string): { targetAddressSpace?: 'loopback' } {
  return isLoopbackUrl(url) && supportsTargetAddressSpace() ? { targetAddressSpace: 'loopback' } : {};
}

interface PermissionsLike {
  query(descriptor: { name: string }): Promise<{ state: string }>;
}

function pageOrigin(): string | undefined {
  const location = (globalThis as { location?: { origin?: string } }).location;
  return typeof location?.origin === 'string' ? location.origin : undefined;
}

/**
 * After a fetch to `url` failed with a network error: true when the browser reports this page's loopback permission
 * as denied. `loopback-network` is the current name (Chromium 156), `local-network-access` the first one.
 */
export async function localNetworkDenied(url: string): Promise<boolean> {
  const origin = pageOrigin();
  // Only web pages are gated (an extension's pages and workers are not), and not for their own origin. A page on
  // 127.0.0.1 may still be gated (Chrome decides by address space, not by name): the permission alone tells.
  if (!origin || !/^https?:/.test(origin) || !isLoopbackUrl(url) || new URL(url).origin === origin) return false;
  const permissions = (globalThis as { navigator?: { permissions?: PermissionsLike } }).navigator?.permissions;
  if (!permissions) return false;
  for (const name of ['loopback-network', 'local-network-access']) {
    try {
      const status = await permissions.query({ name });
      return status.state === 'denied';
    } catch {
      // This browser does not know the name: try the next one.
    }
  }
  return false;
}

export const LOCAL_NETWORK_DENIED_MESSAGE =
  'This page may not reach Codette on this computer: the browser blocked its access to the local network ' +
  '(Chrome\'s "Local network access" permission). Click the icon left of the address bar, set "Local network access" ' +
  'to Allow, and reload the page.';
