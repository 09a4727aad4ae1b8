/** What scenarios use to talk to a running Tocsin: its public API with a bearer token. */
import { CliError } from './context.js';

export interface ScenarioContext {
  baseUrl: string;
  token: string;
  log: (line: string) => void;
}

export interface Scenario {
  description: string;
  run(ctx: ScenarioContext): Promise<void>;
}

export async function call<T>(ctx: ScenarioContext, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(new URL(path, ctx.baseUrl), {
      method,
      headers: { authorization: `Bearer ${ctx.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new CliError(`cannot reach Tocsin at ${ctx.baseUrl} (${(err as Error).message}); is it running? set TOCSIN_URL`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text;
    try {
      const p = JSON.parse(text) as { title?: string; detail?: string };
      detail = p.detail ?? p.title ?? text;
    } catch {
      /* not problem+json */
    }
    throw new CliError(`${method} ${path} answered ${res.status}: ${detail}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

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
