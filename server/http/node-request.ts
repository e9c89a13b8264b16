/**
 * The one place that reads srvx's Node request behind a Fetch Request (`request.runtime.node.req`, srvx 1.x): the
 * /health fast path compares its raw url, and the guard reads the headers Node already parsed (and the raw ones, to
 * see a duplicate Host). server/test/node-request.test.ts fails when a new srvx moves it; until then anything
 * unexpected answers undefined and the callers fall back to the Fetch Request.
 */
export interface NodeRequestView {
  /** The request target as sent: path and query string. */
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
}

export function nodeRequestOf(request: Request): NodeRequestView | undefined {
  const req = (request as { runtime?: { node?: { req?: Partial<NodeRequestView> } } }).runtime?.node?.req;
  return req && Array.isArray(req.rawHeaders) && typeof req.headers === 'object' ? (req as NodeRequestView) : undefined;
}
