/**
 * The mail stand-in (docs/sandbox.md, "Mail"): an SMTP server on loopback that keeps every message it
 * accepts, and an HTTP stand-in that lists them. The SMTP side speaks the plain subset a notifier
 * needs (HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no AUTH); messages are kept raw, with
 * the From, To and Subject headers and the body as received (no MIME decoding).
 */
import net from 'node:net';
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

const address = (arg: string) => /<([^>]*)>/.exec(arg)?.[1] ?? arg.trim();

export class SmtpStandIn {
  readonly messages: MailMessage[] = [];
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  /** Failure injection: the next N messages are refused with a 451 (error) or never answered after DATA (hang). */
  private failures: { mode: 'error' | 'hang'; remaining: number } | null = null;

  constructor(private readonly clock: Clock = systemClock) {
    this.server = net.createServer((socket) => this.session(socket));
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  failNext(count: number, mode: 'error' | 'hang'): void {
    this.failures = count === 0 ? null : { mode, remaining: count };
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private session(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let mailFrom: string | null = null;
    let rcptTo: string[] = [];
    let data: string[] | null = null;
    let size = 0;
    reply('220 tocsin-sandbox ESMTP ready');

    const command = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      switch (verb) {
        case 'HELO':
          return reply('250 tocsin-sandbox');
        case 'EHLO':
          return reply('250-tocsin-sandbox\r\n250-8BITMIME\r\n250 SIZE 10485760');
        case 'MAIL':
          if (!/^FROM:/i.test(line.slice(5))) return reply('501 Syntax: MAIL FROM:<address>');
          mailFrom = address(line.slice(10));
          rcptTo = [];
          return reply('250 OK');
        case 'RCPT':
          if (mailFrom === null) return reply('503 MAIL first');
          if (!/^TO:/i.test(line.slice(5))) return reply('501 Syntax: RCPT TO:<address>');
          rcptTo.push(address(line.slice(8)));
          return reply('250 OK');
        case 'DATA':
          if (mailFrom === null || rcptTo.length === 0) return reply('503 RCPT first');
          data = [];
          size = 0;
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          mailFrom = null;
          rcptTo = [];
          return reply('250 OK');
        case 'NOOP':
          return reply('250 OK');
        case 'QUIT':
          reply('221 Bye');
          return socket.end();
        default:
          return reply('502 Command not implemented');
      }
    };

    const dataLine = (line: string) => {
      if (line !== '.') {
        size += line.length + 2;
        data?.push(line.startsWith('.') ? line.slice(1) : line);
        return;
      }
      const raw = (data ?? []).join('\r\n');
      data = null;
      if (size > MAX_MESSAGE) return reply('552 Message too large');
      if (this.failures) {
        const { mode } = this.failures;
        if (--this.failures.remaining <= 0) this.failures = null;
        mailFrom = null;
        rcptTo = [];
        if (mode === 'error') reply('451 Injected failure, try again later');
        return;
      }
      const { headers, body } = splitMessage(raw);
      const id = `msg-${this.messages.length + 1}`;
      this.messages.push({
        id,
        mailFrom: mailFrom ?? '',
        rcptTo,
        from: headers.get('from') ?? null,
        to: headers.get('to') ?? null,
        subject: headers.get('subject') ?? null,
        body,
        raw,
        receivedAt: new Date(this.clock.now()).toISOString(),
      });
      mailFrom = null;
      rcptTo = [];
      reply(`250 OK queued as ${id}`);
    };

    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\r\n'); nl >= 0; nl = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (data !== null) dataLine(line);
        else command(line);
      }
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
