/**
 * The default audience and contact ports over the customer tables of migration 0022 (`customers`):
 * audiences are read a page at a time in customer-id order (keyset: never the whole audience in
 * memory). Affected-customer sets belong to the scoping module: their members come through the
 * `setMembers` function compose passes in; without it a set audience is refused.
 */
import type { CampaignAudience } from '../../../shared/campaign-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { invalid } from '../../platform/errors.js';
import type { SecretBox } from '../../platform/secret-box.js';

/** Yields the customer ids of an audience, `limit` at a time, after `after` (ascending id). */
export interface AudiencePort {
  page(db: Db, audience: CampaignAudience, after: string | null, limit: number): Promise<string[]>;
}

/** What the campaign needs of one customer: contacts unsealed, language, preference, opt-outs. */
export interface CustomerContact {
  id: string;
  customerNo: string;
  name: string;
  language: 'zh-CN' | 'en';
  /** Preferred channel (sms | email | push | phone) or null: the campaign's order. */
  channel: string | null;
  /** Opted-out channels and/or `marketing`. */
  optOuts: string[];
  tier: string | null;
  phone: string | null;
  email: string | null;
}

/** Contacts of a page of customers (any order; unknown ids are left out). */
export interface ContactPort {
  contacts(db: Db, ids: readonly string[]): Promise<CustomerContact[]>;
}

/** Members of an affected-customer set (scoping module), keyset-paged like AudiencePort. */
export type SetMembers = (
  db: Db,
  set: { setId: string; version?: number },
  after: string | null,
  limit: number,
) => Promise<string[]>;

const noSets: SetMembers = () => {
  throw invalid('affected sets are not available', [
    { path: 'audience.setId', message: 'affected sets are not available', code: 'custom' },
  ]);
};

export function defaultAudience(setMembers: SetMembers = noSets): AudiencePort {
  return {
    async page(db, audience, after, limit) {
      if (audience.kind === 'set') return setMembers(db, audience, after, limit);
      let q = db.selectFrom('customers').select('id');
      if (audience.kind === 'customers') q = q.where('customer_no', 'in', audience.customerNos);
      else {
        if (audience.branches?.length) q = q.where('branch', 'in', audience.branches);
        if (audience.tiers?.length) q = q.where('tier', 'in', audience.tiers);
      }
      if (after !== null) q = q.where('id', '>', after);
      const rows = await q.orderBy('id').limit(limit).execute();
      return rows.map((r) => r.id);
    },
  };
}

interface SealedPii {
  phone?: string;
  email?: string;
}

const parseList = (text: string): string[] => {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

export function defaultContacts(secretBox: SecretBox): ContactPort {
  return {
    async contacts(db, ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('customers')
        .select(['id', 'customer_no', 'name', 'pii_sealed', 'language', 'channel', 'opt_outs', 'tier'])
        .where('id', 'in', ids)
        .execute();
      return rows.map((r) => {
        const pii = secretBox.open<SealedPii>(r.pii_sealed, r.id);
        return {
          id: r.id,
          customerNo: r.customer_no,
          name: r.name,
          language: r.language === 'en' ? 'en' : 'zh-CN',
          channel: r.channel,
          optOuts: parseList(r.opt_outs),
          tier: r.tier,
          phone: pii.phone ?? null,
          email: pii.email ?? null,
        };
      });
    },
  };
}

/** The id of a customer by number (for the preview). */
export const customerIdByNo = async (db: Db, customerNo: string): Promise<string | null> =>
  (await db.selectFrom('customers').select('id').where('customer_no', '=', customerNo).executeTakeFirst())?.id ?? null;
