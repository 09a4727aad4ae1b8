/** Reading the raw messages the sandbox's SMTP server keeps: headers and quoted-printable bodies decoded enough to read and follow links. */
import type { MailMessage } from '../../src/server/sandbox/mail.js';

/** The message's text with quoted-printable soft breaks and escapes undone (UTF-8). */
export function decodedBody(m: MailMessage): string {
  const bytes = m.raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** A header of the raw message (unfolded), or null. */
export function header(m: MailMessage, name: string): string | null {
  const head = m.raw.split(/\r\n\r\n/)[0]!.replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

/** The first link in the mail's text whose URL contains `part`. */
export function linkIn(m: MailMessage, part: string): string {
  const found = decodedBody(m)
    .match(/https?:\/\/[^\s"<>]+/g)
    ?.find((u) => u.includes(part));
  if (!found) throw new Error(`no link with ${part} in the mail`);
  return found.replace(/&amp;/g, '&');
}

/** The decoded text/plain or text/html part of a multipart/alternative mail. */
export function partOf(m: MailMessage, type: 'text/plain' | 'text/html'): string {
  const body = decodedBody(m);
  const start = body.indexOf(`Content-Type: ${type}`);
  if (start < 0) throw new Error(`no ${type} part`);
  const from = body.indexOf('\r\n\r\n', start) + 4;
  const end = body.indexOf('\r\n----', from);
  return body.slice(from, end < 0 ? undefined : end);
}
