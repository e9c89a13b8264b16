type Doc = Record<string, unknown>;
interface Media {
  schema?: unknown;
  'x-sse-events'?: Record<string, unknown>;
}
interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media>; 'x-error-codes'?: string[] }>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const json = (v: unknown) => escapeHtml(JSON.stringify(v, null, 2));

function example(method: string, path: string, op: Operation): string {
  const url = `http://127.0.0.1:8000${path.replace(/\{(\w+)\}/g, ':$1')}`;
  const types = Object.keys(op.requestBody?.content ?? {});
  const verb = method === 'get' ? '' : ` -X ${method.toUpperCase()}`;
  if (types.includes('application/json')) return `curl -s${verb} ${url} -H 'Content-Type: application/json' -d '{…}'`;
  const upload = types.find((t) => t !== 'multipart/form-data');
  if (upload) return `curl -s${verb} ${url} -H 'Content-Type: ${upload}' --data-binary @file`;
  return `curl -s${verb} ${url}`;
}

const schemaBlock = (title: string, media: Record<string, Media> | undefined, open = false) =>
  Object.entries(media ?? {})
    .map(([type, m]) => {
      const shown = m['x-sse-events'] ?? m.schema;
      return `<details${open ? ' open' : ''}><summary>${title} <code>${escapeHtml(type)}</code></summary><pre>${json(shown)}</pre></details>`;
    })
    .join('');

/** A readable API reference, rendered from the OpenAPI document on the server: no script, no CDN. */
export function renderDocsPage(doc: Doc): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const ws = doc['x-websocket'] as {
    path: string;
    client_messages: unknown;
    server_messages: unknown;
    replies: Record<string, readonly string[]>;
    topics: Record<string, readonly string[]>;
    error_codes: readonly string[];
  };
  const codes = (list: readonly string[]) => list.map((t) => `<code>${escapeHtml(t)}</code>`).join(', ');
  const rows = (table: Record<string, readonly string[]>) =>
    Object.entries(table)
      .map(([k, v]) => `<tr><td><code>${escapeHtml(k)}</code></td><td>${codes(v)}</td></tr>`)
      .join('');
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const id = `${method}-${path}`.replace(/[^\w-]/g, '_');
      const params = op.parameters
        .map(
          (p) =>
            `<code>${escapeHtml(p.name)}</code> <span class="muted">(${p.in}${p.required ? ', required' : ''})</span>`,
        )
        .join(' · ');
      const body = `${params ? `<p>Parameters: ${params}</p>` : ''}${schemaBlock('Request body', op.requestBody?.content, true)}`;
      const errors = Object.entries(op.responses)
        .filter(([status]) => status !== '200')
        .map(
          ([status, r]) =>
            `<li><code>${status}</code> ${escapeHtml(r.description.split(':')[0] ?? '')}: ${(r['x-error-codes'] ?? [])
              .map((c) => `<code>${escapeHtml(c)}</code>`)
              .join(' ')}</li>`,
        )
        .join('');
      const html = `<section id="${id}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> <span class="muted">${escapeHtml(op.operationId)}</span></h3>
<p>${escapeHtml(op.summary)}</p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}
<pre class="ex">${escapeHtml(example(method, path, op))}</pre>${body}
${schemaBlock('Response 200', op.responses['200']?.content)}<ul class="err">${errors}</ul></section>`;
      const tag = op.tags[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const nav = [...byTag.keys()].map((t) => `<a href="#tag-${t}">${escapeHtml(t)}</a>`).join(' · ');
  const sections = [...byTag.entries()]
    .map(([tag, items]) => `<h2 id="tag-${tag}">${escapeHtml(tag)}</h2>${items.join('\n')}`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(info.title)} — API reference</title>
<style>
:root{color-scheme:light dark;--bg:#fbfaf7;--fg:#1d1b19;--muted:#6b655e;--card:#fff;--line:#e4dfd7;--accent:#b4461f}
@media (prefers-color-scheme:dark){:root{--bg:#161412;--fg:#ece7e1;--muted:#a39b91;--card:#201d1a;--line:#36312c;--accent:#f08a5d}}
body{margin:0;font:15px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg)}main{max-width:980px;margin:auto;padding:24px}
h1{margin:0 0 4px}h2{margin-top:40px;border-bottom:1px solid var(--line);text-transform:capitalize}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px;margin:12px 0}
h3{margin:0;font-size:16px}pre{overflow:auto;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px;font-size:12.5px}
.m{display:inline-block;min-width:56px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px}
.get{background:#2f7d4f}.post{background:#b4461f}.delete{background:#a12a2a}.put,.patch{background:#7a5aa8}
a{color:var(--accent)}.muted{color:var(--muted)}ul.err{color:var(--muted);font-size:13px;margin:6px 0}
</style></head><body><main>
<h1>${escapeHtml(info.title)}</h1><p class="muted">Version ${escapeHtml(info.version)} · <a href="/openapi.json">openapi.json</a></p>
<p>${escapeHtml(info.description)} Errors always have the shape <code>{"error":{"code","message","details?"}}</code>.
Pages in a browser may call this server only from an allowed Origin (the Codette extension, or CODETTE_ALLOWED_ORIGINS).</p>
<nav>${nav} · <a href="#websocket">websocket</a></nav>
${sections}
<h2 id="websocket">WebSocket <code>${escapeHtml(ws.path)}</code></h2>
<p>On open the server sends <code>hello</code> with its version and the transport state. A client message may carry an <code>id</code>:
the server answers <code>ack</code>, and applies a repeated id only once. Bad JSON or an unknown type gets an <code>error</code>; the connection stays open.</p>
<table><tr><th>client sends</th><th>it gets back, in order</th></tr>${rows(ws.replies)}</table>
<table><tr><th>topic</th><th>subscribers get</th></tr>${rows(ws.topics)}</table>
<p>Error codes of <code>error</code> messages: ${codes(ws.error_codes)}.</p>
<details open><summary>Client → server messages</summary><pre>${json(ws.client_messages)}</pre></details>
<details><summary>Server → client messages</summary><pre>${json(ws.server_messages)}</pre></details>
</main></body></html>`;
}
