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

/** The 6-digit code of a claim filing in an SMS text, as the portal words it (zh-CN or English). */
export function filingCodeInSms(text: string): string | null {
  return /(?:提交补偿申请的验证码为|code to file a compensation claim is) ?(\d{6})/.exec(text)?.[1] ?? null;
}

/** The texts a notify gateway that lists its messages (the sandbox's) has taken. */
async function sandboxTexts(gatewayUrl: string): Promise<{ to: string; text: string }[]> {
  const res = await fetch(new URL('/v1/messages', gatewayUrl), { signal: AbortSignal.timeout(5_000) }).catch(
    () => null,
  );
  if (!res?.ok) return [];
  const body = (await res.json().catch(() => null)) as { messages?: { to?: string; text?: string }[] } | null;
  return (body?.messages ?? []).map((m) => ({ to: String(m.to ?? ''), text: String(m.text ?? '') }));
}

/** Reads the newest code of `reference` from a notify gateway that lists its messages (the sandbox's). */
export function sandboxSmsReader(gatewayUrl: string) {
  return async (reference: string): Promise<string | null> => {
    const codes = (await sandboxTexts(gatewayUrl)).map((m) => codeInSms(m.text, reference)).filter(Boolean);
    return codes.at(-1) ?? null;
  };
}

/** Reads the newest filing code texted to `phone` (digits compared) from the sandbox's gateway. */
export function sandboxFilingCodeReader(gatewayUrl: string) {
  const digits = (s: string) => s.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
  return async (phone: string): Promise<string | null> => {
    const codes = (await sandboxTexts(gatewayUrl))
      .filter((m) => digits(m.to) === digits(phone))
      .map((m) => filingCodeInSms(m.text))
      .filter(Boolean);
    return codes.at(-1) ?? null;
  };
}

/** Waits for `read` to give a code (the text takes a moment). */
async function waitForCode(read: () => Promise<string | null>, what: string, poll = { everyMs: 200, tries: 50 }) {
  for (let i = 0; i < poll.tries; i++) {
    const code = await read();
    if (code) return code;
    await new Promise((r) => setTimeout(r, poll.everyMs));
  }
  throw new CliError(`no one-time code for ${what} arrived by SMS`);
}

const formPoster = (base: string) => {
  const origin = new URL(base).origin;
  return (path: string, fields: Record<string, string>, cookie = '') =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': FORM, origin, ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(10_000),
    });
};

/**
 * Files a claim on the portal at `siteUrl` as a customer would: the incident whose public title is
 * `incidentTitle`, the customer number and phone on file, the texted code, then the claim form with its
 * files (multipart). The claim's reference from the receipt page.
 */
export async function fileOnPortal(o: {
  siteUrl: string;
  incidentTitle: string;
  customerNo: string;
  phone: string;
  language: 'zh-CN' | 'en';
  description: string;
  amountYuan?: string;
  files: { name: string; type: string; bytes: Uint8Array }[];
  readCode: (phone: string) => Promise<string | null>;
}): Promise<string> {
  const base = o.siteUrl.replace(/\/$/, '');
  const post = formPoster(base);
  const start = await (await fetch(`${base}/compensation/file`, { signal: AbortSignal.timeout(10_000) })).text();
  const incident = [...start.matchAll(/name="incident" value="([^"]+)"[^>]*> ([^<]+)/g)].find((m) =>
    m[2]!.includes(o.incidentTitle),
  )?.[1];
  if (!incident) throw new CliError(`the portal takes no claims for "${o.incidentTitle}"`);
  const asked = await post('/compensation/file', { incident, who: o.customerNo, phone: o.phone, language: o.language });
  const ticket = new URL(asked.headers.get('location') ?? '', base).searchParams.get('t');
  if (asked.status !== 303 || !ticket)
    throw new CliError(`the portal refused the filing details (HTTP ${asked.status})`);
  const code = await waitForCode(() => o.readCode(o.phone), `the filing of ${o.customerNo}`);
  const verified = await post('/compensation/file/code', { ticket, code, language: o.language });
  const cookie = (verified.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (verified.status !== 303 || !cookie) throw new CliError(`the portal refused the code (HTTP ${verified.status})`);
  const page = await (await fetch(`${base}/compensation/file/claim`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]*)"/.exec(page)?.[1];
  if (!csrf) throw new CliError('the portal did not show the claim form');
  const form = new FormData();
  form.append('csrf', csrf);
  form.append('language', o.language);
  form.append('description', o.description);
  if (o.amountYuan) form.append('amount', o.amountYuan);
  for (const f of o.files) form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  const filed = await fetch(`${base}/compensation/file/claim`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: new URL(base).origin, cookie },
    body: form,
    signal: AbortSignal.timeout(30_000),
  });
  if (filed.status !== 303) throw new CliError(`the portal did not take the claim (HTTP ${filed.status})`);
  const done = await (await fetch(`${base}/compensation/file/done`, { headers: { cookie } })).text();
  const ref = /id="ref">(CMP-[0-9A-Z-]+)</.exec(done)?.[1];
  if (!ref) throw new CliError('the portal did not show the claim reference');
  return ref;
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
  const post = formPoster(base);
  const sent = await post('/compensation', { reference: o.reference, language: o.language });
  if (sent.status !== 303) throw new CliError(`the portal refused the reference ${o.reference} (HTTP ${sent.status})`);
  const code = await waitForCode(() => o.readCode(o.reference), o.reference, o.poll);
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
