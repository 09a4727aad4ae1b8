/** What every staff channel shares: the message text with its acknowledge line, JSON posts through the context. */
import { z } from 'zod';
import type { ChannelMessage, ConnectorContext, OutboundResponse } from '../../connector/index.js';

/** A base URL (scheme, host, optional port and path), so the sandbox can stand in for the vendor. */
export const BaseUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const hostOf = (url: string): string[] => [new URL(url).hostname];

const ACK_LABEL = { 'zh-CN': '确认（一次性链接，24 小时内有效）', en: 'Acknowledge (one-time link, valid 24 h)' };
const INCIDENT_LABEL = { 'zh-CN': '事件', en: 'Incident' };

/** The message as plain text: subject, text, the incident key and the acknowledge link, in the recipient's language. */
export function plainText(m: ChannelMessage): string {
  const lines = [m.subject, '', m.text];
  if (m.incidentKey) lines.push('', `${INCIDENT_LABEL[m.language]}: ${m.incidentKey}`);
  if (m.ackUrl) lines.push('', `${ACK_LABEL[m.language]}: ${m.ackUrl}`);
  return lines.join('\n');
}

/** The message as Markdown (robots that render it): a bold subject and the acknowledge link as a link. */
export function markdown(m: ChannelMessage): string {
  const lines = [`**${m.subject}**`, '', m.text];
  if (m.incidentKey) lines.push('', `${INCIDENT_LABEL[m.language]}: ${m.incidentKey}`);
  if (m.ackUrl) lines.push('', `[${ACK_LABEL[m.language]}](${m.ackUrl})`);
  return lines.join('\n');
}

export const ackLabel = (language: ChannelMessage['language']) => ACK_LABEL[language];

/** POSTs JSON through the context's guarded HTTP; a status outside 2xx is thrown with the start of the answer. */
export async function postJson(
  ctx: ConnectorContext<unknown, unknown>,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<OutboundResponse> {
  const res = await ctx.http({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  return res;
}

/** The answer's JSON, or a thrown error naming what came back instead. */
export function jsonOf(res: OutboundResponse): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(res.body);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new Error(`unexpected answer (not a JSON object): ${res.body.slice(0, 200)}`);
}
