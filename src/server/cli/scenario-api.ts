/** What scenarios use to talk to a running Tocsin: its public API with a bearer token. */
import { apiCall } from './api-client.js';

export interface ScenarioContext {
  baseUrl: string;
  token: string;
  log: (line: string) => void;
}

export interface Scenario {
  description: string;
  run(ctx: ScenarioContext): Promise<void>;
}

/** Calls the API as the scenario's token (one-line errors from api-client.ts). */
export const call = <T>(ctx: ScenarioContext, method: string, path: string, body?: unknown): Promise<T> =>
  apiCall<T>(ctx, method, path, body, { timeoutMs: 10_000 });

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The wanted service keys that this Tocsin knows: a scenario must also run on a store without the demo's catalog. */
export async function knownServices(ctx: ScenarioContext, wanted: string[]): Promise<string[]> {
  const known = new Set<string>();
  let cursor: string | null = null;
  do {
    const q: string = `/api/v1/services?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: { key: string }[]; next: string | null } = await call(ctx, 'GET', q);
    for (const s of page.items) known.add(s.key);
    cursor = page.next;
  } while (cursor);
  return wanted.filter((k) => known.has(k));
}
