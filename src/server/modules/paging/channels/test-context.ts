/** A connector context for tests and the sandbox demo: plain fetch, loopback allowed, a fixed clock. */
import type { ConnectorContext, OutboundRequest } from '../../connector/index.js';

export function directContext<C, S>(
  name: string,
  config: C,
  secrets: S,
  now: () => number = () => Date.now(),
): ConnectorContext<C, S> {
  return {
    name,
    config,
    secrets,
    now,
    async http(req: OutboundRequest) {
      const res = await fetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: AbortSignal.timeout(req.timeoutMs ?? 10_000),
      });
      return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    },
    async resolve() {
      return { address: '127.0.0.1', family: 4 };
    },
  };
}
