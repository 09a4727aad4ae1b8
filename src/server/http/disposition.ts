/** Handing files out: `Content-Disposition: attachment` names, and downloads that are never rendered. */
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 form (RFC 6266 / 8187) of the name. */
export const disposition = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * Sends stored bytes from outside (a customer's file, evidence) as a download only: attachment, no type
 * sniffing, a sandboxing CSP, never cached.
 */
export function sendDownload(
  reply: FastifyReply,
  file: { type: string; bytes: number; name: string; stream: Readable },
): FastifyReply {
  return reply
    .header('content-type', file.type)
    .header('content-length', String(file.bytes))
    .header('content-disposition', disposition(file.name))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(file.stream);
}
