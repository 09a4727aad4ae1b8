/** The sandbox's root page: what each stand-in received, newest first, every value HTML-escaped. */
import type { SmtpStandIn } from './mail.js';
import type { StandIn } from './stand-in.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

const WORD = /=\?utf-8\?([bq])\?([^?]*)\?=/gi;

/**
 * A header's MIME encoded words (RFC 2047, UTF-8, B or Q) decoded for reading: adjacent words are one
 * byte run (a character may be split between them). Messages stay stored as received; only the page decodes.
 */
export function decodeHeader(v: string): string {
  return v.replace(/=\?utf-8\?[bq]\?[^?]*\?=(?:\s+=\?utf-8\?[bq]\?[^?]*\?=)*/gi, (run) =>
    Buffer.concat(
      [...run.matchAll(WORD)].map(([, enc, text]) =>
        enc!.toLowerCase() === 'b'
          ? Buffer.from(text!, 'base64')
          : Buffer.from(
              text!
                .replace(/_/g, ' ')
                .replace(/=([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
              'latin1',
            ),
      ),
    ).toString('utf8'),
  );
}

const json = (v: unknown) => (v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v, null, 2));

export function overviewPage(standIns: StandIn[], smtp: SmtpStandIn): string {
  const sections = standIns.map((s) => {
    const rows = [...s.requests]
      .reverse()
      .map(
        (r) =>
          `<tr><td>${escapeHtml(r.at)}</td><td>${escapeHtml(r.method)}</td><td>${escapeHtml(r.path)}</td>` +
          `<td>${r.status ?? '…'}</td><td><pre>${escapeHtml(json(r.body))}</pre></td></tr>`,
      )
      .join('\n');
    return (
      `<h2>${escapeHtml(s.name)} <small>${escapeHtml(s.url)}</small></h2>\n` +
      (rows
        ? `<table><tr><th>time 时间</th><th>method</th><th>path 路径</th><th>status 状态</th><th>body 请求体</th></tr>\n${rows}</table>`
        : '<p>No requests yet. 尚未收到请求。</p>')
    );
  });
  const mail = [...smtp.messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.mailFrom)}</td>` +
        `<td>${escapeHtml(m.rcptTo.join(', '))}</td><td>${escapeHtml(decodeHeader(m.subject ?? ''))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tocsin sandbox 沙箱</title>
<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;text-align:left}pre{margin:0;white-space:pre-wrap}</style>
</head><body>
<h1>Tocsin sandbox 沙箱</h1>
<p>Stand-ins for a firm's systems; what each received, newest first. 模拟机构系统；各系统收到的请求（最新在前）。 <a href="/requests.json">requests.json</a></p>
${sections.join('\n')}
<h2>SMTP messages 邮件</h2>
${mail ? `<table><tr><th>received 收到</th><th>from 发件人</th><th>to 收件人</th><th>subject 主题</th></tr>\n${mail}</table>` : '<p>No messages yet. 尚未收到邮件。</p>'}
</body></html>
`;
}
