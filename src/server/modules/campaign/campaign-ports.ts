/**
 * What a campaign needs from other modules, as ports compose fills (compose-campaigns.ts): the customer
 * ids of an audience (customers and segments from the customer module, affected sets from scoping) and
 * the contacts of a page of customers (the customer module).
 */
import type { CampaignAudience } from '../../../shared/campaign-schemas.js';
import type { Db } from '../../platform/db/types.js';
import type { FieldError } from '../../platform/errors.js';

/** The customers of an audience. */
export interface AudiencePort {
  /** The customer ids of an audience, `limit` at a time, after `after` (ascending id). */
  page(db: Db, audience: CampaignAudience, after: string | null, limit: number): Promise<string[]>;
  /**
   * What the audience names that does not exist for this incident — an affected set (or version) not
   * of it, a branch or tier no customer has — as field errors; empty when everything named exists.
   */
  unknown(db: Db, audience: CampaignAudience, incidentId: string): Promise<FieldError[]>;
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
  /** The id of the customer with this number (the preview); null when there is none. */
  idOfNo(db: Db, customerNo: string): Promise<string | null>;
  /** Who the customers are with contacts masked (the message list); unknown ids are left out. */
  cards(db: Db, ids: readonly string[]): Promise<MaskedCustomer[]>;
}

/** A customer as lists show it: number, name, contacts masked. */
export interface MaskedCustomer {
  id: string;
  customerNo: string;
  name: string;
  phoneMasked: string | null;
  emailMasked: string | null;
}
