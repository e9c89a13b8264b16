import DOMPurify from 'dompurify';
import { marked } from 'marked';

let hooked = false;

/** Markdown from the server, rendered and sanitised: no scripts, no event handlers, links open in a new tab. */
export function renderMarkdown(text: string): string {
  // Without a DOM DOMPurify can trust, show the text as text rather than risk raw HTML.
  if (!DOMPurify.isSupported) return escapeHtml(text);
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.nodeName.toUpperCase() === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
    hooked = true;
  }
  const html = marked.parse(text, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'img', 'form', 'input'],
    FORBID_ATTR: ['style'],
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
