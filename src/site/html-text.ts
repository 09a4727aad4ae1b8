/** Plain text of the snapshot's sanitized HTML (for the JSON API and banner texts): tags dropped, blocks on lines. */
import { sanitizeHtmlLib } from '../server/platform/heavy-libs.js';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

// The same bodies recur in several documents and in every render: remember their text (bounded).
const memo = new Map<string, string>();

export function htmlToText(html: string): string {
  if (!html) return '';
  const known = memo.get(html);
  if (known !== undefined) return known;
  if (memo.size >= 5000) memo.clear();
  const text = convert(html);
  memo.set(html, text);
  return text;
}

function convert(html: string): string {
  const spaced = html.replace(/<\/(p|li|h[2-4]|blockquote|pre|tr)>|<br\s*\/?>/gi, (t) => `${t}\n`);
  return sanitizeHtmlLib()(spaced, { allowedTags: [], allowedAttributes: {} })
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
