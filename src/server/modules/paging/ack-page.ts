/** The small bilingual HTML page the acknowledge link answers with (no script, nothing from elsewhere). */
import type { LinkOutcome } from './ack.service.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const TEXT: Record<LinkOutcome['outcome'], { status: number; zh: string; en: string }> = {
  acknowledged: {
    status: 200,
    zh: '已确认。升级已停止，请前往作战室处理事件。',
    en: 'Acknowledged. Escalation has stopped; go to the war room.',
  },
  already_acknowledged: {
    status: 200,
    zh: '此呼叫已被确认，无需再次确认。',
    en: 'This page was already acknowledged; nothing more to do.',
  },
  invalid: {
    status: 403,
    zh: '链接无效：它不是 Tocsin 签发的确认链接。',
    en: 'Invalid link: this is not an acknowledge link Tocsin issued.',
  },
  used: {
    status: 410,
    zh: '此确认链接已使用过（每个链接只能使用一次）。',
    en: 'This acknowledge link was already used (each link works once).',
  },
  expired: {
    status: 410,
    zh: '此确认链接已过期（有效期 24 小时）。请在控制台中确认。',
    en: 'This acknowledge link has expired (valid 24 hours). Acknowledge in the console.',
  },
};

export function ackPage(result: LinkOutcome, publicUrl: string): { status: number; html: string } {
  const t = TEXT[result.outcome];
  const key = 'incidentKey' in result ? result.incidentKey : null;
  const first = 'language' in result && result.language === 'en' ? 'en' : 'zh-CN';
  const lines = first === 'en' ? [t.en, t.zh] : [t.zh, t.en];
  const link = key
    ? `<p><a href="${esc(`${publicUrl}/incidents/${encodeURIComponent(key)}`)}">${esc(key)}</a></p>`
    : '';
  const html = `<!doctype html>
<html lang="${first}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>Tocsin 警钟</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5}</style>
</head><body>
<h1>Tocsin 警钟</h1>
${lines.map((l) => `<p>${esc(l)}</p>`).join('\n')}
${link}
</body></html>
`;
  return { status: t.status, html };
}
