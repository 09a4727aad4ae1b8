/**
 * Fixtures of customer campaigns: customers written straight into the 0022 tables (PII sealed, hashed
 * and masked by the customer module's own sealer) in multi-row inserts, and an
 * approved `customer_notice` statement of an incident.
 */
import { newId } from '../../src/server/platform/ids.js';
import type { Services } from '../../src/server/compose.js';

export interface SeedCustomer {
  customerNo: string;
  name: string;
  language?: 'zh-CN' | 'en';
  channel?: string | null;
  tier?: string | null;
  branch?: string | null;
  optOuts?: string[];
  phone?: string;
  email?: string;
}

/** Inserts customers; their ids in the order given. */
export async function seedCustomers(s: Services, customers: SeedCustomer[]): Promise<string[]> {
  const now = s.clock.now();
  const rows = customers.map((c) => {
    const id = newId();
    return {
      id,
      customer_no: c.customerNo,
      name: c.name,
      ...s.customers.seal(id, { phone: c.phone, email: c.email }),
      language: c.language ?? 'zh-CN',
      channel: c.channel ?? null,
      branch: c.branch ?? null,
      tier: c.tier ?? null,
      account_manager: null,
      opt_outs: JSON.stringify(c.optOuts ?? []),
      source: 'demo',
      version: 1,
      created_at: now,
      updated_at: now,
    };
  });
  for (let i = 0; i < rows.length; i += 1000)
    await s.store.db
      .insertInto('customers')
      .values(rows.slice(i, i + 1000))
      .execute();
  return rows.map((r) => r.id);
}

/** `n` customers `C000001`… with a phone each, every tenth a VIP, every fifth in English. */
export const manyCustomers = (n: number, from = 1): SeedCustomer[] =>
  Array.from({ length: n }, (_, i) => {
    const k = from + i;
    return {
      customerNo: `C${String(k).padStart(7, '0')}`,
      name: `客户${k}`,
      language: k % 5 === 0 ? 'en' : 'zh-CN',
      tier: k % 10 === 0 ? 'vip' : 'standard',
      phone: `138${String(k).padStart(8, '0')}`,
    };
  });

/** An approved customer notice of the incident (written as the statement module keeps it); its id. */
export async function approvedNotice(
  s: Services,
  incidentId: string,
  text = {
    titleZh: '{{ incidentKey }} 网上交易恢复通知',
    titleEn: '{{ incidentKey }}: online trading restored',
    bodyZh: '尊敬的{{ name }}（客户号 {{ customerNo }}）：网上交易已恢复。',
    bodyEn: 'Dear {{ name }} ({{ customerNo }}): online trading is working again.',
  },
  state = 'approved',
): Promise<string> {
  const id = newId();
  const now = s.clock.now();
  await s.store.db
    .insertInto('statements')
    .values({
      id,
      incident_id: incidentId,
      kind: 'customer_notice',
      scenario: 'trading_outage',
      state,
      current_version: 1,
      required_reviews: '[]',
      flags: '[]',
      emergency: null,
      publication: null,
      origin_key: null,
      origin_plan: null,
      origin_step: null,
      created_by: null,
      created_at: now,
      updated_at: now,
      published_at: null,
      published_by: null,
      withdrawn_at: null,
      withdraw_reason: null,
    })
    .execute();
  await s.store.db
    .insertInto('statement_versions')
    .values({
      statement_id: id,
      n: 1,
      title_zh: text.titleZh,
      title_en: text.titleEn,
      body_zh: text.bodyZh,
      body_en: text.bodyEn,
      fields: '{}',
      author_id: null,
      author_label: 'test',
      created_at: now,
    })
    .execute();
  return id;
}
