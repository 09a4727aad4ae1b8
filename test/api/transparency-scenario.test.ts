/**
 * Issue 11's "Done when", end to end on one real server (SQLite, the job loop running, a local SMTP
 * server): the demo firm is loaded as `tocsin demo` does, a reader subscribes on the public site and
 * confirms by the mailed link, the credential-stuffing scenario is replayed through the API as
 * `tocsin demo --scenario credential-stuffing` does, detection declares the incident, the bundled
 * account-takeover plan starts and drafts the holding statement; two people (the commander and the
 * communications lead) approve it by the emergency path and it is published; the public status site
 * shows it in zh-CN and English, the Atom feed has the entry, and the subscriber gets the mail.
 * Nothing is faked between the event and the mail. Waits are polls on what a user would see.
 */
import path from 'node:path';
import { extractFromXml } from '@extractus/feed-extractor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, settableClock } from '../../src/server/cli/demo.js';
import { runScenario } from '../../src/server/cli/scenario.js';
import { compose } from '../../src/server/compose.js';
import { SmtpStandIn } from '../../src/server/sandbox/mail.js';
import { type Running, serve } from '../../src/server/serve.js';
import { decodedBody, linkIn } from '../helpers/mail.js';
import { testConfig } from '../helpers/store.js';

const COMMANDER = 'chen.jie@donghai-sec.example';
const COMMS = 'zhao.min@donghai-sec.example';
const READER = 'reader@mail.example';

interface StatementView {
  id: string;
  kind: string;
  state: string;
  version: { title: { zh: string; en: string } };
  publication: { slug: string; path: string } | null;
}

describe('issue 11 done-when: credential stuffing -> holding statement -> two approvals -> public site, Atom, mail', () => {
  let smtp: SmtpStandIn;
  let running: Running;
  let drop: () => Promise<void>;
  let api = '';
  let site = '';
  const tokens = new Map<string, string>();

  const call = async <T>(who: string, method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${api}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens.get(who)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  const mailsTo = (address: string) => smtp.messages.filter((m) => m.rcptTo.includes(address));

  beforeAll(async () => {
    smtp = new SmtpStandIn({ now: () => Date.now() });
    const smtpPort = await smtp.listen(0);
    const t = testConfig(
      'sqlite',
      {
        TOCSIN_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        TOCSIN_MAIL_FROM: 'status@donghai-sec.example',
        TOCSIN_PUBLIC_PORT: '0',
      },
      { migrated: true },
    );
    drop = t.drop;
    // `tocsin demo`: the fictional firm, its users, plans active, past announcements.
    const clock = settableClock();
    const s = await compose(t.config, { clock });
    try {
      await s.users.ensureFirstAdmin(s.config.admin);
      await loadDemo(s, clock, 'Demo-Password-2026!', { plansDir: path.resolve('plans') });
      for (const email of [COMMANDER, COMMS]) {
        const user = (await s.users.byEmail(email))!;
        const created = await s.tokens.create({ id: null, label: 'test' }, user.id, {
          name: 'done-when',
          scopes: ['read', 'write', 'events'],
        });
        tokens.set(email, created.token);
      }
    } finally {
      await s.close();
    }
    running = await serve(t.config, () => {});
    api = running.url;
    site = running.publicApp!.url.replace(/\/$/, '');
  }, 120_000);

  afterAll(async () => {
    if (running) {
      const closing = running.stop();
      running.app.server.closeAllConnections();
      running.publicApp?.app.server.closeAllConnections();
      await closing;
    }
    await drop?.();
    await smtp?.close();
  });

  it('runs from the first event to the subscriber mail', async () => {
    // A reader subscribes on the public listener (the site at /) and confirms by the mailed link.
    const sub = await fetch(`${site}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ email: READER, language: 'en' }).toString(),
    });
    expect(sub.status, await sub.clone().text()).toBe(202);
    await expect.poll(() => mailsTo(READER).length, { timeout: 20_000 }).toBe(1);
    const confirm = new URL(linkIn(mailsTo(READER)[0]!, 'confirm?token='));
    const confirmed = await fetch(`${site}/subscribe/confirm${confirm.search}`, {
      headers: { accept: 'application/json' },
    });
    expect(confirmed.status).toBe(200);

    // `tocsin demo --scenario credential-stuffing`: raw login events; detection declares the incident.
    const log: string[] = [];
    await runScenario('credential-stuffing', { baseUrl: api, token: tokens.get(COMMANDER)!, log: (l) => log.push(l) });
    const declared = log.join('\n').match(/incident declared by detection: (INC-\d{4}-\d+)/);
    expect(declared, log.join('\n')).not.toBeNull();
    const key = declared![1]!;

    // The account-takeover plan starts by itself and drafts the holding statement.
    let holding: StatementView | undefined;
    await expect
      .poll(
        async () => {
          const { items } = await call<{ items: StatementView[] }>(
            COMMS,
            'GET',
            `/api/v1/incidents/${key}/statements?limit=50`,
          );
          holding = items.find((x) => x.kind === 'holding_statement');
          return holding?.state;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe('draft');
    const title = holding!.version.title;
    expect(title.zh).toMatch(/\S/);
    expect(title.en).toMatch(/\S/);

    // Not public while it is a draft, not even at a guessed announcement address (slugs are YYYY-NNNN).
    expect(await (await fetch(`${site}/?lang=en`)).text()).not.toContain(title.en);
    const year = new Date().getFullYear();
    const guesses = Array.from({ length: 30 }, (_, i) => `${year}-${String(i + 1).padStart(4, '0')}`);
    for (const g of guesses) {
      const res = await fetch(`${site}/incidents/${g}?lang=en`);
      expect([200, 404]).toContain(res.status);
      expect(await res.text()).not.toContain(title.en);
    }

    // Two people approve it at once (the emergency path: it cannot wait), then it is published.
    await call(COMMANDER, 'POST', `/api/v1/statements/${holding!.id}/emergency-approve`, { comment: '事实已核实' });
    await call(COMMS, 'POST', `/api/v1/statements/${holding!.id}/emergency-approve`, { comment: 'OK to go' });
    const published = await call<StatementView>(COMMS, 'POST', `/api/v1/statements/${holding!.id}/publish`, {
      emergency: true,
      reason: 'First public statement within minutes of detection',
    });
    expect(published.state).toBe('published');

    // The public site (logged out, its own listener) shows it in both languages within a second.
    await expect
      .poll(async () => (await fetch(`${site}/`, { headers: { 'accept-language': 'zh-CN' } })).text(), {
        timeout: 5_000,
        interval: 50,
      })
      .toContain(title.zh);
    const home = await (await fetch(`${site}/?lang=en`)).text();
    expect(home).toContain(title.en);
    const slug = published.publication!.slug;
    expect(guesses).toContain(slug); // the address guessed above was the one it got
    const pageZh = await fetch(`${site}/incidents/${slug}`, { headers: { 'accept-language': 'zh-CN' } });
    expect(pageZh.status).toBe(200);
    expect(await pageZh.text()).toContain(title.zh);
    const pageEn = await (await fetch(`${site}/incidents/${slug}?lang=en`)).text();
    expect(pageEn).toContain(title.en);

    // The Atom feed, read by a real feed parser, has the entry.
    const atom = extractFromXml(await (await fetch(`${site}/feed.atom?lang=en`)).text(), { useISODateFormat: true });
    expect(atom.entries?.some((e) => e.title?.includes(title.en))).toBe(true);

    // And the subscriber gets the announcement by mail, in English.
    await expect.poll(() => mailsTo(READER).length, { timeout: 20_000 }).toBe(2);
    const mail = decodedBody(mailsTo(READER)[1]!);
    expect(mail).toContain(title.en);
  }, 120_000);
});
