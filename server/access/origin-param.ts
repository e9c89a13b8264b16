/** The `:origin` path segment decoded (`https%3A%2F%2Fdaw.example.com`); left as sent when it is not valid encoding. */
export function originParam(params: Record<string, string>): { origin: string } {
  const raw = params.origin ?? '';
  try {
    return { origin: decodeURIComponent(raw) };
  } catch {
    return { origin: raw };
  }
}
