/**
 * The mail stand-in (docs/sandbox.md, "Mail"): an SMTP server on loopback (the `smtp-server` package)
 * that keeps every message it accepts, and an HTTP stand-in that lists them. Plain SMTP only (no TLS,
 * no AUTH); messages are kept raw, with the From, To and Subject headers and the body as received (no
 * MIME decoding).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Clock } from '../platform/ids.js';
import { systemClock } from '../platform/ids.js';
import { failureRequest, notFound, type Route, StandIn } from './stand-in.js';

export interface MailMessage {
  id: string;
  /** The SMTP envelope. */
  mailFrom: string;
  rcptTo: string[];
  from: string | null;
  to: string | null;
  subject: string | null;
  body: string;
  raw: string;
  receivedAt: string;
}

const MAX_MESSAGE = 10 * 1024 * 1024;

/** Header fields of a raw message (unfolded, names lower-case) and its body. */
function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? '' : raw.slice(end + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    }
  }
  return { headers, body };
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export class SmtpStandIn {
  readonly messages: MailMessage[] = [];
  private readonly server: SMTPServer;
  /**
   * Failure injection: the next N messages (after `skip` more accepted ones) are refused with a 451
   * (error) or never answered after DATA (hang).
   */
  private failures: { mode: 'error' | 'hang'; remaining: number; skip: number } | null = null;

  constructor(private readonly clock: Clock = systemClock) {
    this.server = new SMTPServer({
      name: 'tocsin-sandbox',
      banner: 'ready',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: MAX_MESSAGE,
      logger: false,
      closeTimeout: 100,
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    this.server.on('error', () => {});
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.server.off('error', reject);
        resolve((this.server.server.address() as AddressInfo).port);
      });
    });
  }

  /** The failures still to inject. */
  get pendingFailures(): { count: number; mode: 'error' | 'hang' | null } {
    return { count: this.failures?.remaining ?? 0, mode: this.failures?.mode ?? null };
  }

  /** The next `count` messages fail (`after`: once that many more have been accepted). */
  failNext(count: number, mode: 'error' | 'hang', after = 0): void {
    this.failures = count === 0 ? null : { mode, remaining: count, skip: after };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null, message?: string) => void,
  ): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (stream.sizeExceeded) return callback(smtpError(552, 'Message too large'));
      if (this.failures && this.failures.skip > 0) this.failures.skip--;
      else if (this.failures) {
        const { mode } = this.failures;
        if (--this.failures.remaining <= 0) this.failures = null;
        if (mode === 'error') callback(smtpError(451, 'Injected failure, try again later'));
        return; // hang: no answer to the end of DATA
      }
      const raw = Buffer.concat(chunks).toString('utf8').replace(/\r\n$/, '');
      const { headers, body } = splitMessage(raw);
      const id = `msg-${this.messages.length + 1}`;
      const envelope = session.envelope;
      this.messages.push({
        id,
        mailFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
        rcptTo: envelope.rcptTo.map((r) => r.address),
        from: headers.get('from') ?? null,
        to: headers.get('to') ?? null,
        subject: headers.get('subject') ?? null,
        body,
        raw,
        receivedAt: new Date(this.clock.now()).toISOString(),
      });
      callback(null, `OK queued as ${id}`);
    });
  }
}

/** The HTTP side: GET /messages, GET /messages/{id}; POST /_sandbox/smtp-fail injects SMTP failures. */
export function mailbox(smtp: SmtpStandIn, clock?: Clock): StandIn {
  const routes: Route[] = [
    { method: 'GET', pattern: /^\/messages$/, handle: () => ({ status: 200, body: { messages: smtp.messages } }) },
    {
      method: 'GET',
      pattern: /^\/messages\/([A-Za-z0-9-]+)$/,
      handle: ({ params: [id] }) => {
        const m = smtp.messages.find((x) => x.id === id);
        if (!m) throw notFound(`no message ${id}`);
        return { status: 200, body: m };
      },
    },
  ];
  const adminRoutes: Route[] = [
    { method: 'GET', pattern: /^\/_sandbox\/smtp-fail$/, handle: () => ({ status: 200, body: smtp.pendingFailures }) },
    {
      method: 'POST',
      pattern: /^\/_sandbox\/smtp-fail$/,
      handle: ({ body }) => {
        const { count, mode } = failureRequest(body);
        smtp.failNext(count, mode);
        return { status: 200, body: { count, mode } };
      },
    },
  ];
  return new StandIn({ name: 'mail', routes, adminRoutes, clock });
}
