/** The EDR stand-in (docs/sandbox.md, "EDR"): isolate a host from the network, release it. */
import type { Clock } from '../platform/ids.js';
import { objectBody, invalid, type Route, StandIn } from './stand-in.js';

const HOST = '([A-Za-z0-9._-]{1,253})';

export function edr(clock?: Clock): StandIn {
  const isolated = new Map<string, { since: string; reason: string | null }>();
  const state = (host: string) => {
    const i = isolated.get(host);
    return { host, state: i ? 'isolated' : 'normal', since: i?.since ?? null, reason: i?.reason ?? null };
  };
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/hosts$/,
      handle: () => ({ status: 200, body: { isolated: [...isolated.keys()].map(state) } }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/hosts/${HOST}$`),
      handle: ({ params: [host] }) => ({ status: 200, body: state(host as string) }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/hosts/${HOST}/isolate$`),
      handle: ({ params: [host], body, now }) => {
        const reason = objectBody(body).reason ?? null;
        if (reason !== null && typeof reason !== 'string') throw invalid('"reason" must be a string');
        if (!isolated.has(host as string)) isolated.set(host as string, { since: new Date(now).toISOString(), reason });
        return { status: 200, body: state(host as string) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/hosts/${HOST}/release$`),
      handle: ({ params: [host] }) => {
        isolated.delete(host as string);
        return { status: 200, body: state(host as string) };
      },
    },
  ];
  return new StandIn({ name: 'edr', routes, clock });
}
