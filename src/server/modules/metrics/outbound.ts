/**
 * Outbound HTTP for scraping, guarded: http/https only, no redirects followed, a response size cap, an
 * overall timeout, and no connection to what the platform's outbound guard refuses (link-local,
 * cloud metadata, unspecified, and loopback unless TOCSIN_PROBE_ALLOW_LOOPBACK) — checked on the
 * addresses DNS gives (in the socket's own lookup, so a name cannot resolve differently later).
 */
import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';
import { createOutboundGuard, GuardRefusal, lookupWithin, type OutboundGuard } from '../../platform/outbound-guard.js';

/**
 * The built-in refusals (link-local, metadata, unspecified, loopback): scrape targets come from the
 * metrics file, so the probes' deny and allow ranges do not apply; the server passes a guard that
 * allows loopback when TOCSIN_PROBE_ALLOW_LOOPBACK is true.
 */
export const DEFAULT_SCRAPE_GUARD = createOutboundGuard();

export class OutboundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundError';
  }
}

export interface FetchResult {
  body: string;
  contentType: string | undefined;
}

/** GETs `url` within the guard; rejects with a short, log-safe reason. */
export function guardedGet(
  url: string,
  opts: { timeoutMs: number; maxBytes: number; accept: string; guard?: OutboundGuard },
): Promise<FetchResult> {
  const guard = opts.guard ?? DEFAULT_SCRAPE_GUARD;
  const lookup = lookupWithin(guard);
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return reject(new OutboundError('not a valid URL'));
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return reject(new OutboundError(`${u.protocol} URLs are not scraped; use http or https`));
    const literal = u.hostname.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
    const why = ipaddr.isValid(literal) ? guard.refusal(literal) : null;
    if (why) return reject(new OutboundError(`refused: ${why}`));
    const client = u.protocol === 'https:' ? https : http;
    let done = false;
    const finish = (err: Error | null, result?: FetchResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(
          err instanceof OutboundError
            ? err
            : new OutboundError(
                err instanceof GuardRefusal
                  ? `refused: ${err.message}`
                  : ((err as NodeJS.ErrnoException).code ?? err.message),
              ),
        );
      } else resolve(result!);
    };
    const req = client.get(
      u,
      { lookup, headers: { accept: opts.accept, 'accept-encoding': 'identity', 'user-agent': 'Tocsin-scraper' } },
      (res) => {
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
        if (Number.isFinite(declared) && declared > opts.maxBytes)
          return finish(new OutboundError(`response is ${declared} bytes; the limit is ${opts.maxBytes}`));
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes) return finish(new OutboundError(`response is larger than ${opts.maxBytes} bytes`));
          chunks.push(chunk);
        });
        res.on('end', () =>
          finish(null, { body: Buffer.concat(chunks).toString('utf8'), contentType: res.headers['content-type'] }),
        );
        res.on('error', (err) => finish(err));
      },
    );
    req.on('error', (err) => finish(err));
    const timer = setTimeout(() => finish(new OutboundError(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
  });
}
