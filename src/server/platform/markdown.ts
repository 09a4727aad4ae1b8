/**
 * Rich text of statements, announcements, rebuttals and FAQ answers: Markdown (CommonMark, markdown-it,
 * raw HTML off so a `<script>` typed into a statement is shown as text) rendered to HTML and then
 * sanitized by an allow-list (sanitize-html) as a second line. The one renderer for the console's
 * preview and the public pages, so what a reviewer approves is what the public reads. Emphasis next
 * to Chinese punctuation follows the CJK-friendly rule (markdown-it-cjk-friendly).
 */
import type { MarkdownIt } from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import type SanitizeHtml from 'sanitize-html';
import { markdownItLib, sanitizeHtmlLib } from './heavy-libs.js';

/** The renderer and the allow-list, made on first use (markdown-it and sanitize-html load then). */
let made: { md: MarkdownIt; allowed: SanitizeHtml.IOptions; sanitize: typeof SanitizeHtml } | undefined;

function renderer(): NonNullable<typeof made> {
  made ??= make();
  return made;
}

function make(): NonNullable<typeof made> {
  const MarkdownItClass = markdownItLib();
  const sanitize = sanitizeHtmlLib();
  // CommonMark does not close `**提示：**请` (a full-width colon before `**`, a Han character after):
  // the CJK-friendly emphasis rule (the proposal to CommonMark, as a markdown-it plugin) does.
  const md = new MarkdownItClass({ html: false, linkify: true, typographer: false, breaks: true }).use(cjkFriendly);
  const allowed: SanitizeHtml.IOptions = {
    allowedTags: [
      'p',
      'br',
      'strong',
      'em',
      'del',
      's',
      'ul',
      'ol',
      'li',
      'a',
      'h2',
      'h3',
      'h4',
      'blockquote',
      'code',
      'pre',
      'hr',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
    ],
    allowedAttributes: { a: ['href', 'title'], ol: ['start'], th: ['style'], td: ['style'] },
    allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowProtocolRelative: false,
    // Headings of a statement sit under the page's own title.
    transformTags: {
      h1: 'h2',
      a: sanitize.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
    },
  };
  // `rel` is added by the transform; it must survive the filter too.
  (allowed.allowedAttributes as Record<string, string[]>).a!.push('rel');
  return { md, allowed, sanitize };
}

/** Sanitized HTML of a Markdown text (empty for empty input). */
export function renderMarkdown(text: string): string {
  if (!text.trim()) return '';
  const { md, allowed, sanitize } = renderer();
  return sanitize(md.render(text), allowed).trim();
}

/** List items of rendered HTML marked for plain text: `1.`, `2.` in ordered lists (from `start`), `•` in the others. */
export function listMarkers(html: string): string {
  return html
    .replace(/<ol([^>]*)>([\s\S]*?)<\/ol>/gi, (_, attrs: string, inner: string) => {
      let n = Number(/start="(\d+)"/.exec(attrs)?.[1] ?? 1) - 1;
      return inner.replace(/<li[^>]*>/gi, () => `${++n}. `);
    })
    .replace(/<li[^>]*>/gi, '• ');
}

/** Plain text of a Markdown text (for feeds' summaries, mail text parts, the badge's title); list items keep their markers. */
export function markdownToText(text: string): string {
  const { md, sanitize } = renderer();
  return sanitize(listMarkers(md.render(text)), { allowedTags: [], allowedAttributes: {} })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };

/** Text for text-only channels (SMS, a text mail): `markdownToText` with HTML's escapes undone. */
export function markdownToPlain(text: string): string {
  return markdownToText(text).replace(/&(lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e]!);
}
