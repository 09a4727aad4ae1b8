/**
 * The customer's side of a claim on the public portal (issue 14): the customer gives the claim's
 * reference, Tocsin texts a 6-digit one-time code to the phone on file, the customer gives the code and
 * sees the claim's current offer, then accepts, declines (with a reason) or counters (an amount and a
 * reason) — each a step of the claim with speaker `customer`, channel `portal`, the time and the IP.
 *
 * Codes are kept only as a keyed hash, live 10 minutes, allow 5 tries (a new code ends the old one), and
 * sending is throttled per IP and per reference. An unknown reference and a wrong, expired or spent
 * code get the same answers (no enumeration); a claim with no offer yet shows as being assessed. A verified code opens a
 * portal session of 30 minutes (an HttpOnly cookie; only its hash is stored) bound to the one claim;
 * its forms carry a token derived from the session (CSRF). The offer is read afresh on every page, and
 * an answer names the version it answers: a changed offer is shown again instead of being answered.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { goodwillFor } from '../../../shared/compensation.js';
import type { Db } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../audit/index.js';
import type { SubscribeThrottle } from '../subscription/index.js';
import { claimById, type ClaimRow } from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import type { CustomerSender, NoticeContact } from './notice.service.js';
import {
  claimByRef,
  codeOfSession,
  holdOpenOffer,
  insertCode,
  latestCode,
  markVerified,
  spendTry,
  supersedeCodes,
} from './portal.repository.js';

const PORTAL_ACTOR: Actor = { id: null, label: 'compensation portal customer' };
export const CODE_TTL_MS = 10 * 60_000;
export const CODE_TRIES = 5;
export const SESSION_TTL_MS = 30 * 60_000;

export interface PortalDeps {
  contacts(db: Db, customerIds: string[]): Promise<NoticeContact[]>;
  sender: CustomerSender;
  /** The key of the codes' keyed hash (derived from the secret key). */
  codeKey: () => Buffer;
  throttles: { send: SubscribeThrottle; verify: SubscribeThrottle };
  firmName: { zh: string; en: string };
}

/** What the portal shows of a claim. */
export interface PortalOffer {
  ref: string;
  status: string;
  version: number;
  amountMinor: number;
  currency: string;
  basis: string;
  goodwill: { kind: string; amountMinor: number } | null;
  claimedMinor: number | null;
  acceptedAt: number | null;
  declineReason: string | null;
  /** The customer's language, for the page when the reader asked for none. */
  language: 'zh-CN' | 'en';
  phoneMasked: string | null;
}

export type AnswerOutcome = 'done' | 'changed' | 'not_open';

/** `cmp-abcd efgh-jkmn` -> `CMP-ABCD-EFGH-JKMN`; null when it cannot be a claim reference. */
export function normalizeClaimRef(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '');
  const m = /^(?:CMP)?([0-9A-Z]{4})([0-9A-Z]{4})([0-9A-Z]{4})$/.exec(s);
  return m ? `CMP-${m[1]}-${m[2]}-${m[3]}` : null;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/** The form token of a portal session (its forms carry it; a cross-site form cannot know it). */
export const sessionCsrf = (session: string) =>
  createHmac('sha256', session).update('tocsin-compensation-csrf').digest('base64url');

export function sessionCsrfValid(session: string, token: string): boolean {
  const want = Buffer.from(sessionCsrf(session));
  const got = Buffer.from(token);
  return session !== '' && want.length === got.length && timingSafeEqual(want, got);
}

/** Whether two keyed hashes are the same (in constant time). */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createPortalService(deps: CompensationDeps, ctx: CompensationContext, portal: PortalDeps) {
  const { store, clock, audit, incidents, customers } = deps;
  const codeHash = (claimId: string, code: string) =>
    createHmac('sha256', portal.codeKey()).update(`tocsin-compensation-code.v1.${claimId}.${code}`).digest('base64url');

  async function sessionClaim(db: Db, session: string): Promise<ClaimRow | null> {
    if (!session) return null;
    const row = await codeOfSession(db, 'answer', sha256(session), clock.now());
    return row?.claim_id ? ((await claimById(db, row.claim_id)) ?? null) : null;
  }

  /** Runs a customer's answer on the session's claim if it still shows version `version` as an open offer. */
  async function answer(
    session: string,
    version: number,
    run: (tx: Db, claim: ClaimRow) => Promise<unknown>,
  ): Promise<AnswerOutcome | null> {
    return store.transaction(async (tx) => {
      const seen = await sessionClaim(tx, session);
      if (!seen) return null;
      if (!(await holdOpenOffer(tx, seen.id, version, clock.now()))) {
        const now = (await claimById(tx, seen.id)) ?? seen;
        return now.version !== version ? 'changed' : 'not_open';
      }
      const claim = (await claimById(tx, seen.id))!;
      try {
        await run(tx, claim);
      } catch (err) {
        // Another answer (or staff) moved the claim first.
        if (err instanceof AppError && err.status === 409) return 'not_open';
        throw err;
      }
      return 'done';
    });
  }

  const refOf = async (tx: Db, claim: ClaimRow) =>
    (await incidents.refs(tx, [claim.incident_id])).get(claim.incident_id)!;

  return {
    /**
     * Texts a new code for `reference` when it names a claim with an offer and a phone on file; the
     * caller answers the same either way. Throttled per IP and per reference (429).
     */
    async requestCode(ip: string, reference: string): Promise<void> {
      const ref = normalizeClaimRef(reference);
      await portal.throttles.send.take(ip, `cmp:${sha256(ref ?? 'invalid')}`);
      if (!ref) return;
      const claim = await claimByRef(store.db, ref);
      if (!claim) return;
      const [contact] = await portal.contacts(store.db, [claim.customer_id]);
      if (!contact?.phone || !portal.sender.sms) return;
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const now = clock.now();
      const id = newId();
      const [card] = await customers.cardsByIds([claim.customer_id], store.db);
      await store.transaction(async (tx) => {
        await supersedeCodes(tx, { claimId: claim.id }, now);
        await insertCode(tx, {
          id,
          purpose: 'answer',
          claim_id: claim.id,
          incident_id: null,
          customer_id: null,
          ticket_hash: null,
          code_hash: codeHash(claim.id, code),
          attempts: 0,
          expires_at: now + CODE_TTL_MS,
          verified_at: null,
          session_hash: null,
          session_expires_at: null,
          ip,
          created_at: now,
        });
        await audit.append(tx, PORTAL_ACTOR, {
          action: 'compensation.portal_code',
          targetType: 'compensation_claim',
          targetId: claim.id,
          after: {
            ref: claim.ref,
            phone: card?.phoneMasked ?? null,
            ip,
            expiresAt: new Date(now + CODE_TTL_MS).toISOString(),
          },
          incidents: [claim.incident_id],
        });
      });
      const en = contact.language === 'en';
      const text = en
        ? `[${portal.firmName.en || portal.firmName.zh}] Your code for compensation ${claim.ref} is ${code}. It is valid for 10 minutes. Never tell it to anyone, our staff included.`
        : `【${portal.firmName.zh || portal.firmName.en}】您查看补偿 ${claim.ref} 的验证码为 ${code}，10 分钟内有效。请勿告诉任何人（包括我司工作人员）。`;
      // Sent after the code is stored: a code that never arrives can be asked for again (throttled).
      await portal.sender.send(
        { channel: 'sms', to: contact.phone, subject: '', text, language: en ? 'en' : 'zh-CN' },
        `compensation-code:${id}`,
      );
    },

    /** A portal session's token when `code` is the live code of `reference`; null otherwise (the same for every reason). */
    async verifyCode(ip: string, reference: string, code: string): Promise<string | null> {
      const ref = normalizeClaimRef(reference);
      await portal.throttles.verify.take(ip, `cmp:${sha256(ref ?? 'invalid')}`);
      const digits = code.replace(/\s/g, '');
      if (!ref || !/^\d{6}$/.test(digits)) return null;
      return store.transaction(async (tx) => {
        const claim = await claimByRef(tx, ref);
        if (!claim) return null;
        const row = await latestCode(tx, { claimId: claim.id });
        const now = clock.now();
        if (!row || !(await spendTry(tx, row.id, CODE_TRIES, now))) return null;
        if (!sameHash(row.code_hash, codeHash(claim.id, digits))) return null;
        const session = randomBytes(32).toString('base64url');
        await markVerified(tx, row.id, { hash: sha256(session), expiresAt: now + SESSION_TTL_MS }, now);
        return session;
      });
    },

    csrfOf: sessionCsrf,
    csrfValid: sessionCsrfValid,

    /** The session's claim as it is now (its current version); null without a live session. */
    async offer(session: string): Promise<PortalOffer | null> {
      const claim = await sessionClaim(store.db, session);
      if (!claim) return null;
      const [card] = await customers.cardsByIds([claim.customer_id], store.db);
      return {
        ref: claim.ref,
        status: claim.status,
        version: claim.version,
        amountMinor: Number(claim.amount_minor),
        currency: claim.currency,
        basis: claim.basis,
        goodwill: claim.goodwill_kind
          ? { kind: claim.goodwill_kind, amountMinor: Number(claim.goodwill_minor ?? 0) }
          : null,
        claimedMinor: claim.claimed_minor === null ? null : Number(claim.claimed_minor),
        acceptedAt: claim.accepted_at === null ? null : Number(claim.accepted_at),
        declineReason: claim.decline_reason,
        language: card?.language === 'en' ? 'en' : 'zh-CN',
        phoneMasked: card?.phoneMasked ?? null,
      };
    },

    /** The customer accepts the offer they were shown (version): the acceptance record is the time, channel and IP. */
    accept(session: string, ip: string, version: number) {
      return answer(session, version, async (tx, claim) =>
        ctx.step(tx, null, claim, await refOf(tx, claim), {
          kind: 'accept',
          to: 'accepted',
          action: 'compensation.accept',
          speaker: 'customer',
          channel: 'portal',
          ip,
          amountMinor: Number(claim.amount_minor),
          set: { accepted_at: clock.now(), accepted_channel: 'portal', accepted_ip: ip },
          actor: PORTAL_ACTOR,
        }),
      );
    },

    /** The customer declines the offer, saying why; the policy's goodwill gesture answers (never silence). */
    decline(session: string, ip: string, version: number, reason: string) {
      return answer(session, version, async (tx, claim) => {
        const [card] = await customers.cardsByIds([claim.customer_id], tx);
        const gesture = goodwillFor(await ctx.policy(tx), card?.tier ?? null);
        return ctx.step(tx, null, claim, await refOf(tx, claim), {
          kind: 'decline',
          to: 'declined',
          action: 'compensation.decline',
          speaker: 'customer',
          channel: 'portal',
          ip,
          reason,
          set: {
            decline_reason: 'customer_declined',
            goodwill_kind: gesture.kind,
            goodwill_minor: gesture.kind === 'fixed_amount' ? gesture.amountMinor : 0,
          },
          audited: { by: 'customer', reason: 'customer_declined', goodwill: gesture },
          actor: PORTAL_ACTOR,
        });
      });
    },

    /** The customer answers with their own figure and reason. */
    counter(session: string, ip: string, version: number, amountMinor: number, reason: string) {
      return answer(session, version, async (tx, claim) =>
        ctx.step(tx, null, claim, await refOf(tx, claim), {
          kind: 'counter',
          to: 'countered',
          action: 'compensation.counter',
          speaker: 'customer',
          channel: 'portal',
          ip,
          reason,
          amountMinor,
          set: { claimed_minor: amountMinor },
          actor: PORTAL_ACTOR,
        }),
      );
    },
  };
}

export type CompensationPortal = ReturnType<typeof createPortalService>;
