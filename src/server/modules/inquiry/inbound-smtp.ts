/**
 * The inbound SMTP listener of customer inquiries (the `smtp-server` package; TOCSIN_INBOUND_SMTP_PORT,
 * off by default, started by worker and all processes). It accepts mail only for the allowed recipients
 * (TOCSIN_INBOUND_ADDRESSES: `help@firm.example` or a whole domain `@firm.example`; others get 550),
 * refuses a message over the size limit (552) and hands each accepted message to `receive`. A failure
 * to record it answers 451, so the sending server tries again later. Plain SMTP (STARTTLS and AUTH off):
 * it sits behind the firm's mail gateway, which receives from the internet. Logs carry the outcome and
 * the inquiry's reference, never an address.
 */
import type { AddressInfo } from 'node:net';
import { smtpServerLib } from '../../platform/heavy-libs.js';
import type { Logger } from '../../platform/logger.js';
import type { ReceiveOutcome } from './inquiry-email.service.js';

export interface InboundSmtpOptions {
  host: string;
  port: number;
  /** Allowed recipients: full addresses, or `@domain` for every address of a domain (lower case). */
  allow: string[];
  maxBytes: number;
  receive(raw: Buffer): Promise<ReceiveOutcome>;
  logger: Logger;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Whether `address` is one the listener takes mail for. */
export function allowedRecipient(allow: string[], address: string): boolean {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at < 1) return false;
  const domain = a.slice(at);
  return allow.some((x) => x === a || x === domain || `@${x}` === domain);
}

export async function startInboundSmtp(opts: InboundSmtpOptions): Promise<{ port: number; close(): Promise<void> }> {
  const { logger } = opts;
  const SMTPServer = await smtpServerLib();
  const server = new SMTPServer({
    name: 'tocsin-inbound',
    banner: 'Tocsin customer inquiries',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: opts.maxBytes,
    logger: false,
    closeTimeout: 1_000,
    onRcptTo(address, _session, callback) {
      if (allowedRecipient(opts.allow, address.address)) callback();
      else callback(smtpError(550, 'no such mailbox here'));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes <= opts.maxBytes) chunks.push(c);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > opts.maxBytes) {
          logger.warn({ bytes, limit: opts.maxBytes }, 'inbound mail refused: too large');
          callback(smtpError(552, `message exceeds ${opts.maxBytes} bytes`));
          return;
        }
        opts.receive(Buffer.concat(chunks)).then(
          (r) => {
            logger.info({ outcome: r.outcome, reference: r.reference }, 'inbound mail');
            callback(null, r.reference ? `accepted as ${r.reference}` : 'accepted');
          },
          (err: unknown) => {
            logger.error({ err }, 'inbound mail not recorded');
            callback(smtpError(451, 'not recorded, try again later'));
          },
        );
      });
    },
  });
  server.on('error', (err) => logger.warn({ err }, 'inbound SMTP connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  logger.info({ host: opts.host, port, recipients: opts.allow.length }, 'inbound SMTP listening (customer inquiries)');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
