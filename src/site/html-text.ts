/** Plain text of the snapshot's sanitized HTML (for the JSON API and banner texts): tags dropped, blocks on lines. */
import sanitizeHtml from 'sanitize-html';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

export function htmlToText(html: string): string {
  if (!html) return '';
  const spaced = html.replace(/<\/(p|li|h[2-4]|blockquote|pre|tr)>|<br\s*\/?>/gi, (t) => `${t}\n`);
  return sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} })
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
