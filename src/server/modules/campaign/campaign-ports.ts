/**
 * What a campaign needs from other modules, as ports compose fills: the customer ids of an audience,
 * the contacts of a page of customers, and the members of an affected-customer set (scoping module).
 */
import type { CampaignAudience } from '../../../shared/campaign-schemas.js';
import type { Db } from '../../platform/db/types.js';

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
