/**
 * The public side of inquiries (the /help portal): ask (throttled per IP and per contact, honeypot,
 * deduplicated; a known customer's question goes to their owner, inquiry-routing.ts), check with the reference and the phone or email used (nothing without both: the same
 * "not found" for a wrong reference and a wrong contact), and the one-question survey once answered.
 */
import type { InquiryLanguage, PortalAsk } from '../../../shared/inquiry-schemas.js';
import { invalid } from '../../platform/errors.js';
import type { Actor } from '../audit/index.js';
import type { SubscribeThrottle } from '../subscription/index.js';
import type { InquiryDeps, IntakeFn, PortalFaq } from './inquiry-context.js';
import { contactKey, newReference, normalizeReference } from './inquiry-keys.js';
import { feedbackOf, inquiryByReference, insertFeedback } from './inquiry.repository.js';
import { routeToOwner } from './inquiry-routing.js';

const PORTAL_ACTOR: Actor = { id: null, label: 'help portal customer' };

export interface PortalCheck {
  reference: string;
  status: 'new' | 'assigned' | 'answered' | 'closed';
  question: string;
  answer: string | null;
  answeredAt: number | null;
  /** Present while the survey can be answered (answered, no rating yet). */
  surveyToken: string | null;
  rating: number | null;
}

export function createInquiryPortal(
  deps: InquiryDeps,
  intake: IntakeFn,
  throttles: { ask: SubscribeThrottle; check: SubscribeThrottle },
) {
  const { store, audit, clock, keys, topics } = deps;

  return {
    /** The incidents to choose from and their published FAQ. */
    topics: (): Promise<{ incidentId: string; title: { zh: string; en: string }; faq: PortalFaq[] }[]> =>
      topics.ongoing(),

    /** A question from the form: its reference (the same one when the same person asked the same again). */
    async ask(ip: string, body: PortalAsk): Promise<{ reference: string; language: InquiryLanguage }> {
      const contact = contactKey(body.phone ?? body.email ?? '');
      if (!contact)
        throw invalid('a phone number or an email address is needed', [
          { path: 'phone', message: 'a phone number or an email address is needed', code: 'required' },
        ]);
      await throttles.ask.take(ip, keys.hashes(contact)[0]!);
      // The honeypot: a made-up reference, nothing stored.
      if (body.website?.trim()) return { reference: newReference(), language: body.language };
      let incidentId: string | null = null;
      if (body.incident && body.incident !== 'other') {
        const ongoing = await topics.ongoing();
        if (!ongoing.some((t) => t.incidentId === body.incident))
          throw invalid('that incident is not one customers can ask about now', [
            { path: 'incident', message: 'not an ongoing incident', code: 'unknown_entry' },
          ]);
        incidentId = body.incident;
      }
      const { row, publish } = await store.transaction(async (tx) => {
        const { row, repeated } = await intake(tx, PORTAL_ACTOR, {
          channel: 'portal',
          incidentId,
          name: body.name,
          phone: body.phone,
          email: body.email,
          question: body.question,
          language: body.language,
          createdBy: null,
        });
        // A known customer's new question goes to their owner (paged once the question is stored).
        return { row, publish: repeated ? null : await routeToOwner(deps, tx, row) };
      });
      publish?.();
      return { reference: row.reference, language: body.language };
    },

    /** The inquiry of `reference` if `contact` is the phone or email it was asked with; else null. */
    async check(ip: string, reference: string, contact: string): Promise<PortalCheck | null> {
      const ref = normalizeReference(reference);
      const key = contactKey(contact);
      await throttles.check.take(ip, ref ?? 'invalid');
      if (!ref || !key) return null;
      const row = await inquiryByReference(store.db, ref);
      if (!row) return null;
      const hashes = keys.hashes(key);
      const own = key.startsWith('p:') ? row.phone_hash : row.email_hash;
      if (!own || !hashes.includes(own)) return null;
      const [fb] = await feedbackOf(store.db, [row.id]);
      const answered = row.answer_text !== null;
      return {
        reference: row.reference,
        status: row.status as PortalCheck['status'],
        question: row.question,
        answer: row.answer_text,
        answeredAt: row.answered_at,
        surveyToken: answered && !fb ? keys.surveyToken(row.reference) : null,
        rating: fb?.rating ?? null,
      };
    },

    /** The survey: once per inquiry, only with the token of its answer; whether it was recorded. */
    async feedback(reference: string, token: string, rating: number, comment: string | null): Promise<boolean> {
      const ref = normalizeReference(reference);
      if (!ref || !keys.checkSurveyToken(ref, token)) return false;
      return store.transaction(async (tx) => {
        const row = await inquiryByReference(tx, ref);
        if (!row || row.answer_text === null) return false;
        const ok = await insertFeedback(tx, { inquiry_id: row.id, rating, comment, created_at: clock.now() });
        if (ok)
          await audit.append(tx, PORTAL_ACTOR, {
            action: 'inquiry.feedback',
            targetType: 'customer_inquiry',
            targetId: row.id,
            after: { reference: row.reference, rating, comment: comment ? '(given)' : null },
            incidents: row.incident_id ? [row.incident_id] : undefined,
          });
        return ok;
      });
    },
  };
}

export type InquiryPortal = ReturnType<typeof createInquiryPortal>;
