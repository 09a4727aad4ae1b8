/** `badge.svg`: the overall state as a shields.io-like flat badge, in the request's language. */
import type { ComponentState } from '../shared/status-site.js';
import type { Headline, Indicator } from './headline.js';
import { messages, type SiteLang } from './i18n.js';

const COLORS: Record<ComponentState, string> = {
  operational: '#2e7d32',
  maintenance: '#1565c0',
  degraded: '#b7791f',
  partial_outage: '#c05621',
  major_outage: '#c62828',
};

/** An announced incident while services look fine, by its impact. */
const INCIDENT_COLORS: Record<Indicator, string> = {
  none: COLORS.maintenance,
  minor: COLORS.degraded,
  major: COLORS.partial_outage,
  critical: COLORS.major_outage,
};

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** Text width at 11px: CJK characters are square, Latin ones about 6.5px (Verdana's average). */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! >= 0x2e80 ? 11 : 6.5;
  return Math.ceil(w);
}

export function renderBadge(head: Headline, lang: SiteLang): string {
  const m = messages(lang);
  const label = m.badgeLabel;
  const message = head.key === 'incident' ? m.incidentShort : m.overall[head.key];
  const color = head.key === 'incident' ? INCIDENT_COLORS[head.indicator] : COLORS[head.key];
  const lw = textWidth(label) + 12;
  const mw = textWidth(message) + 12;
  const w = lw + mw;
  const title = escapeXml(`${label}: ${message}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}"><title>${title}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif" font-size="11"><text x="${lw / 2}" y="14">${escapeXml(label)}</text><text x="${lw + mw / 2}" y="14">${escapeXml(message)}</text></g></svg>`;
}
