/**
 * Outbound HTTP for scraping, guarded: http/https only, no redirects followed, a response size cap, an
 * overall timeout, and no connection to what the platform's outbound guard refuses (link-local,
 * cloud metadata, unspecified) — checked on the
 * addresses DNS gives (in the socket's own lookup, so a name cannot resolve differently later).
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { createOutboundGuard } from '../../platform/outbound-guard.js';

const guard = createOutboundGuard();

/** Why `address` may not be connected to (link-local, metadata, unspecified), or null when it may. */
export function blockedAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return null;
  return guard.refusal(address.replace(/%.*$/, ''));
}

export class OutboundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** dns.lookup, refusing names that resolve to a blocked address. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const list = addresses as dns.LookupAddress[];
    for (const a of list) {
      const why = blockedAddress(a.address);
      if (why) return callback(new OutboundError(`refused: ${hostname} resolves to ${why}`), '', 4);
    }
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    const first = list[0];
    if (!first) return callback(new OutboundError(`${hostname} has no address`), '', 4);
    callback(null, first.address, first.family);
  });
};

export interface FetchResult {
  body: string;
  contentType: string | undefined;
}

/** GETs `url` within the guard; rejects with a short, log-safe reason. */
export function guardedGet(url: string, opts: { timeoutMs: number; maxBytes: number; accept: string }): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return reject(new OutboundError('not a valid URL'));
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return reject(new OutboundError(`${u.protocol} URLs are not scraped; use http or https`));
    const literal = u.hostname.replace(/^\[|\]$/g, '');
    const why = blockedAddress(literal);
    if (why) return reject(new OutboundError(`refused: ${why}`));
    const client = u.protocol === 'https:' ? https : http;
    let done = false;
    const finish = (err: Error | null, result?: FetchResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err instanceof OutboundError ? err : new OutboundError((err as NodeJS.ErrnoException).code ?? err.message));
      } else resolve(result!);
    };
    const req = client.get(u, { lookup: guardedLookup, headers: { accept: opts.accept, 'accept-encoding': 'identity', 'user-agent': 'Tocsin-scraper' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        return finish(new OutboundError(`HTTP ${status}: redirects are not followed; configure the final URL`));
      }
      if (status < 200 || status >= 300) {
        res.resume();
        return finish(new OutboundError(`HTTP ${status}`));
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > opts.maxBytes) return finish(new OutboundError(`response is ${declared} bytes; the limit is ${opts.maxBytes}`));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxBytes) return finish(new OutboundError(`response is larger than ${opts.maxBytes} bytes`));
        chunks.push(chunk);
      });
      res.on('end', () => finish(null, { body: Buffer.concat(chunks).toString('utf8'), contentType: res.headers['content-type'] }));
      res.on('error', (err) => finish(err));
    });
    req.on('error', (err) => finish(err));
    const timer = setTimeout(() => finish(new OutboundError(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
  });
}
