/**
 * A customer answering a compensation offer on the public portal (issue 14), as a browser without
 * JavaScript would: the reference, the one-time code the customer reads from their SMS, the offer page's
 * form token and session cookie, then "accept" — plain form posts, 303 redirects followed by hand. For
 * the demo and its test: `readCode` is how the customer reads their text (the sandbox's notify gateway).
 */
import { CliError } from './context.js';

const FORM = 'application/x-www-form-urlencoded';

/** The 6-digit code of `reference` in an SMS text, as the portal words it (zh-CN or English). */
export function codeInSms(text: string, reference: string): string | null {
  if (!text.includes(reference)) return null;
  return /(?:验证码为|code for compensation \S+ is) ?(\d{6})/.exec(text)?.[1] ?? null;
}

/** Reads the newest code of `reference` from a notify gateway that lists its messages (the sandbox's). */
export function sandboxSmsReader(gatewayUrl: string) {
  return async (reference: string): Promise<string | null> => {
    const res = await fetch(new URL('/v1/messages', gatewayUrl), { signal: AbortSignal.timeout(5_000) }).catch(
      () => null,
    );
    if (!res?.ok) return null;
    const body = (await res.json().catch(() => null)) as { messages?: { text?: string }[] } | null;
    const codes = (body?.messages ?? []).map((m) => codeInSms(String(m.text ?? ''), reference)).filter(Boolean);
    return codes.at(-1) ?? null;
  };
}

/** Accepts the current offer of `reference` on the portal at `siteUrl` (e.g. http://host/status). */
export async function acceptOnPortal(o: {
  siteUrl: string;
  reference: string;
  language: 'zh-CN' | 'en';
  readCode: (reference: string) => Promise<string | null>;
  /** How often and how long to look for the text. */
  poll?: { everyMs: number; tries: number };
}): Promise<void> {
  const base = o.siteUrl.replace(/\/$/, '');
  const origin = new URL(base).origin;
  const post = (path: string, fields: Record<string, string>, cookie = '') =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': FORM, origin, ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(10_000),
    });
  const sent = await post('/compensation', { reference: o.reference, language: o.language });
  if (sent.status !== 303) throw new CliError(`the portal refused the reference ${o.reference} (HTTP ${sent.status})`);
  const poll = o.poll ?? { everyMs: 200, tries: 50 };
  let code: string | null = null;
  for (let i = 0; i < poll.tries && !code; i++) {
    code = await o.readCode(o.reference);
    if (!code) await new Promise((r) => setTimeout(r, poll.everyMs));
  }
  if (!code) throw new CliError(`no one-time code for ${o.reference} arrived by SMS`);
  const verified = await post('/compensation/code', { reference: o.reference, code, language: o.language });
  const cookie = (verified.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (verified.status !== 303 || !cookie) throw new CliError(`the portal refused the code (HTTP ${verified.status})`);
  const page = await fetch(`${base}/compensation/offer`, { headers: { cookie }, signal: AbortSignal.timeout(10_000) });
  const html = await page.text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  const csrf = field('csrf');
  const version = field('version');
  if (!page.ok || !csrf || !version) throw new CliError(`the portal did not show the offer of ${o.reference}`);
  const answered = await post('/compensation/offer/accept', { csrf, version, language: o.language }, cookie);
  const to = answered.headers.get('location') ?? '';
  if (answered.status !== 303 || !to.includes('done=accepted'))
    throw new CliError(`the portal did not take the acceptance (HTTP ${answered.status} ${to})`);
}
