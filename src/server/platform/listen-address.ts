/**
 * Where to connect to reach a listener bound to `host`: a wildcard bind (0.0.0.0, ::) is reached on
 * loopback of the same family. Used by the CLI (TOCSIN_HOST to a URL) and by probes of Tocsin itself.
 */
import { isIP } from 'node:net';

/** The host to connect to for a listener bound to `host`. */
export function connectHost(host: string): string {
  const h = host.trim().replace(/^\[|\]$/g, '');
  if (h === '' || h === '0.0.0.0') return '127.0.0.1';
  if (h === '::' || h === '::0' || /^0*:(0*:)*0*$/.test(h)) return '::1';
  return h;
}

/** `http://host:port` for a listener bound to `host` (IPv6 in brackets). */
export function listenerUrl(host: string, port: number): string {
  const h = connectHost(host);
  return `http://${isIP(h) === 6 ? `[${h}]` : h}:${port}`;
}
