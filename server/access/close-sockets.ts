import type { Hub } from '../ws/hub';

/** Closes the WebSockets a page of `origin` opened (its access was revoked): 1008, policy. */
export function closeSocketsOf(hub: Hub, origin: string): void {
  for (const peer of hub.peers) {
    const request = peer.request as Request | undefined;
    if (request?.headers.get('origin')?.toLowerCase() !== origin) continue;
    hub.remove(peer);
    peer.close(1008, "The user revoked this page's access to Codette.");
  }
}
