/**
 * Outbound HTTP of connectors: http/https only, no redirects followed, an overall timeout, answers
 * read up to a cap, and no connection to what the outbound guard refuses — checked on the addresses
 * DNS gives, in the socket's own lookup (a name cannot resolve differently afterwards).
 */
import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';
import { GuardRefusal, lookupWithin, type OutboundGuard } from '../../platform/outbound-guard.js';
import type { OutboundRequest, OutboundResponse } from './connector-kind.js';

/** Answers larger than this are cut (the run keeps 64 KiB of it anyway). */
const MAX_ANSWER_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

/** The far side could not be reached or did not answer in time (a retry may help). */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

export function guardedRequest(guard: OutboundGuard, req: OutboundRequest): Promise<OutboundResponse> {
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(req.url);
    } catch {
      return reject(new GuardRefusal('not a valid URL'));
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return reject(new GuardRefusal(`the scheme ${u.protocol} is not allowed (http and https only)`));
    if (u.username || u.password) return reject(new GuardRefusal('credentials in the URL are not allowed'));
    const literal = u.hostname.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
    const why = ipaddr.isValid(literal) ? guard.refusal(literal) : null;
    if (why) return reject(new GuardRefusal(why));
    const client = u.protocol === 'https:' ? https : http;
    let done = false;
    const finish = (err: Error | null, res?: OutboundResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        request.destroy();
        reject(
          err instanceof GuardRefusal || err instanceof TransportError
            ? err
            : new TransportError((err as NodeJS.ErrnoException).code ?? err.message),
        );
      } else resolve(res!);
    };
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const request = client.request(
      u,
      {
        method: req.method,
        lookup: lookupWithin(guard),
        headers: {
          'user-agent': 'Tocsin-connector',
          'accept-encoding': 'identity',
          ...(body ? { 'content-length': String(body.length) } : {}),
          ...req.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size >= MAX_ANSWER_BYTES) return;
          size += chunk.length;
          chunks.push(chunk);
        });
        res.on('end', () =>
          finish(null, {
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
            ),
            body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8'),
          }),
        );
        res.on('error', (err) => finish(err));
      },
    );
    request.on('error', (err) => finish(err));
    const timer = setTimeout(() => finish(new TransportError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.end(body);
  });
}
