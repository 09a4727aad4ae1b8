/**
 * The attack timeline as a printable page: one self-contained HTML document (no script; its only style
 * inline in a <style> element the page's own CSP allows), every value escaped, the marks first.
 */
import type { AttackTimeline } from '../../../shared/attack-timeline-schemas.js';
import { csvText } from '../../platform/csv.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

export const PRINT_CSS = `body{font:12px/1.45 "Noto Sans SC","Microsoft YaHei",system-ui,sans-serif;margin:24px;color:#111}
h1{font-size:18px;margin:0 0 4px}p.meta{color:#555;margin:0 0 12px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f4f6}td.at{white-space:nowrap;font-family:ui-monospace,Menlo,monospace}
tr.milestone td{font-weight:700;background:#fff7e6}td.detail{word-break:break-word;max-width:520px}
.marks{display:flex;gap:24px;margin:8px 0 16px}.marks div{border:1px solid #ddd;padding:6px 10px}
@media print{body{margin:0}tr{page-break-inside:avoid}}`;

export function timelineCsv(t: AttackTimeline): string {
  return csvText(
    ['at', 'kind', 'title', 'detail', 'entities', 'ref_type', 'ref_id'],
    t.items.map((i) => [i.at, i.kind, i.title, i.detail, i.entities.join(' '), i.ref?.type ?? null, i.ref?.id ?? null]),
    { guardFormulas: true },
  );
}

export function timelinePage(t: AttackTimeline, generatedAt: string): string {
  const mark = (label: string, at: string | null) => `<div><strong>${esc(label)}</strong><br>${esc(at ?? '—')}</div>`;
  const rows = t.items
    .map(
      (i) =>
        `<tr class="${esc(i.kind)}"><td class="at">${esc(i.at)}</td><td>${esc(i.kind)}</td><td>${esc(i.title)}</td><td class="detail">${esc(i.detail ?? '')}</td><td>${esc(i.entities.join(', '))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(t.incidentKey)} attack timeline / 攻击时间线</title><style>${PRINT_CSS}</style></head><body>
<h1>${esc(t.incidentKey)} — attack timeline / 攻击时间线</h1>
<p class="meta">${t.entity ? `entity / 实体: ${esc(t.entity)} · ` : ''}${t.items.length} items / 条 · generated / 生成于 ${esc(generatedAt)}${t.truncated ? ' · events truncated / 事件已截断' : ''}</p>
<div class="marks">${mark('First compromise / 首次入侵', t.marks.firstCompromise)}${mark('Detected / 发现', t.marks.detection)}${mark('Contained / 控制', t.marks.containment)}${mark('Recovered / 恢复', t.marks.recovery)}</div>
<table><thead><tr><th>Time (UTC) / 时间</th><th>Kind / 类型</th><th>What / 事项</th><th>Detail / 详情</th><th>Entities / 实体</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}
