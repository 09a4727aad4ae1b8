/**
 * A customer files a claim on the public portal (issue 14): they pick an incident that takes claims
 * there, name themself by customer number or fund account number and the mobile number on file, and
 * Tocsin texts a 6-digit code to that phone — the same answer whether or not the details match (no
 * enumeration); the code page carries only a random ticket, never the customer's words. A verified code
 * opens a 30-minute filing session (an HttpOnly cookie; only its hash is stored) bound to the customer
 * and the incident, where they describe the loss, may name an amount and attach files. A first filing
 * creates the claim (source `portal`, proposed); a later one adds words and files to the same claim
 * (one claim per customer and incident). Each is a step on the customer's record and in the audit log,
 * with the time and IP, and an SMS receipt names the claim's reference.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../../platform/db/types.js';
import { conflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../audit/index.js';
import type { CustomerCard } from '../customer/index.js';
import { claimOfCustomer } from './attachment.repository.js';
import type { AttachmentService } from './attachment.service.js';
import type { ReceivedFile } from './attachment-upload.js';
import { claimCreator } from './claim-create.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import { isLive, liveOpenings, openingOf, type OpeningRow } from './opening.repository.js';
import {
  codeOfSession,
  insertCode,
  latestOfTicket,
  markVerified,
  spendTry,
  supersedeCodes,
} from './portal.repository.js';
import { CODE_TRIES, CODE_TTL_MS, type PortalDeps, SESSION_TTL_MS, sameHash, sha256 } from './portal.service.js';

const FILER: Actor = { id: null, label: 'compensation portal customer' };

export interface FilingDeps extends PortalDeps {
  /** The portal's address, for the receipt. */
  portalUrl: string;
}

/** An incident the portal takes claims for, as the customer sees it. */
export interface OpenIncident {
  id: string;
  title: { zh: string; en: string };
  closesAt: number | null;
}

/** What a filing session shows: the incident, the customer's claim there if any. */
export interface FilingView {
  incident: OpenIncident;
  open: boolean;
  language: 'zh-CN' | 'en';
  phoneMasked: string | null;
  claim: { ref: string; status: string } | null;
}

/** Digits of a mobile number without a +86 / 0086 prefix. */
export function phoneDigits(s: string): string {
  const d = s.replace(/\D/g, '');
  return d.replace(/^(?:00)?86(?=1\d{10}$)/, '');
}

const incidentOf = (row: OpeningRow): OpenIncident => ({
  id: row.incident_id,
  title: { zh: row.title_zh, en: row.title_en },
  closesAt: row.closes_at === null ? null : Number(row.closes_at),
});

export function createFilingService(
  deps: CompensationDeps,
  ctx: CompensationContext,
  portal: FilingDeps,
  attachments: AttachmentService,
) {
  const { store, clock, audit, incidents, customers } = deps;
  const createClaim = claimCreator(deps, ctx);
  const codeHash = (incidentId: string, customerId: string, code: string) =>
    createHmac('sha256', portal.codeKey())
      .update(`tocsin-compensation-filing-code.v1.${incidentId}.${customerId}.${code}`)
      .digest('base64url');

  /** The customer of a customer number or fund account number; null when none. */
  async function customerOf(db: Db, who: string): Promise<CustomerCard | null> {
    const key = who.trim();
    if (!key || key.length > 64) return null;
    const [byNo] = await customers.cardsByNos([key], db);
    if (byNo) return byNo;
    const id = (await customers.customerIdsOfAccounts([key], db)).get(key);
    return id ? ((await customers.cardsByIds([id], db))[0] ?? null) : null;
  }

  async function sessionRow(db: Db, session: string) {
    if (!session) return null;
    const row = await codeOfSession(db, 'file', sha256(session), clock.now());
    return row?.incident_id && row.customer_id ? { incidentId: row.incident_id, customerId: row.customer_id } : null;
  }

  async function sendSms(customerId: string, text: (en: boolean) => string, key: string) {
    const [contact] = await portal.contacts(store.db, [customerId]);
    if (!contact?.phone || !portal.sender.sms) return;
    const en = contact.language === 'en';
    await portal.sender.send(
      { channel: 'sms', to: contact.phone, subject: '', text: text(en), language: en ? 'en' : 'zh-CN' },
      key,
    );
  }

  const firm = (en: boolean) =>
    en ? portal.firmName.en || portal.firmName.zh : portal.firmName.zh || portal.firmName.en;

  /** Ends the subject's open codes, stores a new one under the ticket (audited) and texts it. */
  async function issueCode(
    subject: { incidentId: string; customerId: string },
    ticketHash: string,
    ip: string,
    audited: Record<string, unknown>,
  ): Promise<void> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = newId();
    const now = clock.now();
    await store.transaction(async (tx) => {
      await supersedeCodes(tx, subject, now);
      await insertCode(tx, {
        id,
        purpose: 'file',
        claim_id: null,
        incident_id: subject.incidentId,
        customer_id: subject.customerId,
        ticket_hash: ticketHash,
        code_hash: codeHash(subject.incidentId, subject.customerId, code),
        attempts: 0,
        expires_at: now + CODE_TTL_MS,
        verified_at: null,
        session_hash: null,
        session_expires_at: null,
        ip,
        created_at: now,
      });
      await audit.append(tx, FILER, {
        action: 'compensation.portal_code',
        targetType: 'incident',
        targetId: subject.incidentId,
        after: {
          purpose: 'file',
          customerId: subject.customerId,
          ip,
          expiresAt: new Date(now + CODE_TTL_MS).toISOString(),
          ...audited,
        },
        incidents: [subject.incidentId],
      });
    });
    // Sent after the code is stored: a code that never arrives can be asked for again (throttled).
    await sendSms(
      subject.customerId,
      (en) =>
        en
          ? `[${firm(en)}] Your code to file a compensation claim is ${code}. It is valid for 10 minutes. Never tell it to anyone, our staff included.`
          : `【${firm(en)}】您提交补偿申请的验证码为 ${code}，10 分钟内有效。请勿告诉任何人（包括我司工作人员）。`,
      `compensation-filing-code:${id}`,
    );
  }

  return {
    /** The incidents the portal takes claims for now. */
    async openIncidents(): Promise<OpenIncident[]> {
      return (await liveOpenings(store.db, clock.now())).map(incidentOf);
    },

    /**
     * Texts a code when the incident takes claims and the customer's number and phone match the file;
     * the ticket for the code page either way (throttled per IP and per customer key: 429).
     */
    async requestCode(ip: string, input: { incidentId: string; who: string; phone: string }): Promise<string> {
      const ticket = randomBytes(24).toString('base64url');
      await portal.throttles.send.take(ip, `file:${sha256(input.who.trim().toUpperCase())}`);
      const now = clock.now();
      const opening = await openingOf(store.db, input.incidentId.slice(0, 64));
      if (!isLive(opening, now)) return ticket;
      const card = await customerOf(store.db, input.who);
      if (!card) return ticket;
      const [contact] = await portal.contacts(store.db, [card.id]);
      const given = phoneDigits(input.phone);
      if (!contact?.phone || given.length < 7 || phoneDigits(contact.phone) !== given || !portal.sender.sms)
        return ticket;
      await issueCode({ incidentId: opening.incident_id, customerId: card.id }, sha256(ticket), ip, {
        phone: card.phoneMasked,
      });
      return ticket;
    },

    /** Sends a new code to the same customer as the ticket's (the same answer when the ticket is unknown). */
    async resend(ip: string, ticket: string): Promise<void> {
      await portal.throttles.send.take(ip, `file-ticket:${sha256(ticket)}`);
      const row = await latestOfTicket(store.db, sha256(ticket));
      if (!row?.incident_id || !row.customer_id) return;
      if (!isLive(await openingOf(store.db, row.incident_id), clock.now())) return;
      await issueCode({ incidentId: row.incident_id, customerId: row.customer_id }, sha256(ticket), ip, {
        resent: true,
      });
    },

    /** A filing session's token when `code` is the ticket's live code; null otherwise (the same for every reason). */
    async verifyCode(ip: string, ticket: string, code: string): Promise<string | null> {
      await portal.throttles.verify.take(ip, `file-ticket:${sha256(ticket)}`);
      const digits = code.replace(/\s/g, '');
      if (!ticket || !/^\d{6}$/.test(digits)) return null;
      return store.transaction(async (tx) => {
        const row = await latestOfTicket(tx, sha256(ticket));
        const now = clock.now();
        if (!row?.incident_id || !row.customer_id || !(await spendTry(tx, row.id, CODE_TRIES, now))) return null;
        if (!sameHash(row.code_hash, codeHash(row.incident_id, row.customer_id, digits))) return null;
        const session = randomBytes(32).toString('base64url');
        await markVerified(tx, row.id, { hash: sha256(session), expiresAt: now + SESSION_TTL_MS }, now);
        return session;
      });
    },

    /** What the session's filing page shows; null without a live session. */
    async view(session: string): Promise<FilingView | null> {
      const s = await sessionRow(store.db, session);
      if (!s) return null;
      const opening = await openingOf(store.db, s.incidentId);
      const [card] = await customers.cardsByIds([s.customerId], store.db);
      if (!opening || !card) return null;
      const existing = await claimOfCustomer(store.db, s.incidentId, s.customerId);
      return {
        incident: incidentOf(opening),
        open: isLive(opening, clock.now()),
        language: card.language === 'en' ? 'en' : 'zh-CN',
        phoneMasked: card.phoneMasked,
        claim: existing ? { ref: existing.ref, status: existing.status } : null,
      };
    },

    /** Reads the filing form's files into the blob store (the form token checked before the first). */
    receive: attachments.receive,

    /**
     * Files the claim (or adds to the customer's claim in the incident); its reference and whether it
     * was new. Null without a live session; 409 `compensation.portal_closed` once the incident closed.
     */
    async file(
      session: string,
      ip: string,
      form: { description: string; claimedMinor: number | null; files: ReceivedFile[] },
    ): Promise<{ ref: string; created: boolean } | null> {
      const done = await store.transaction(async (tx) => {
        const s = await sessionRow(tx, session);
        if (!s) return null;
        if (!isLive(await openingOf(tx, s.incidentId), clock.now()))
          throw conflict('the portal takes no claims for this incident', { code: 'compensation.portal_closed' });
        const ref = (await incidents.refs(tx, [s.incidentId])).get(s.incidentId)!;
        const [card] = await customers.cardsByIds([s.customerId], tx);
        if (!card) return null;
        const by = { customer: FILER, ip };
        const claim = await claimOfCustomer(tx, ref.id, card.id);
        if (claim) {
          await attachments.attach(tx, claim, form.files, by, { withEvent: true, note: form.description || null });
          return { ref: claim.ref, created: false, customerId: card.id, claimId: claim.id };
        }
        const created = await createClaim(tx, {
          ref,
          card,
          source: 'portal',
          claimedMinor: form.claimedMinor,
          description: form.description,
          channel: 'portal',
          ip,
          by: null,
          actor: FILER,
        });
        await attachments.attach(tx, created, form.files, by, { withEvent: false });
        return { ref: created.ref, created: true, customerId: card.id, claimId: created.id };
      });
      if (!done) return null;
      await sendSms(
        done.customerId,
        (en) =>
          en
            ? `[${firm(en)}] We have received ${done.created ? 'your compensation claim' : 'what you added to your compensation claim'} ${done.ref}. We will assess it and contact you; you can follow it at ${portal.portalUrl}.`
            : `【${firm(en)}】我们已收到您的${done.created ? '补偿申请' : '补充材料'}（编号 ${done.ref}），将尽快评估并与您联系，可在 ${portal.portalUrl} 查询进度。`,
        `compensation-filed:${done.claimId}:${clock.now()}`,
      );
      return { ref: done.ref, created: done.created };
    },
  };
}

export type FilingService = ReturnType<typeof createFilingService>;
