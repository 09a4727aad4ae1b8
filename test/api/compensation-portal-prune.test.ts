/**
 * The compensation portal's one-time codes are deleted a day after they are dead (issue 14): the code
 * expired more than a day ago and the session it opened, if any, ended more than a day ago too; live
 * codes, codes expired within the day and sessions still open or ended within the day stay. On each store,
 * through the hourly retention the worker runs (`compensation.prunePortalCodes`), in batches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimDetail } from '../../src/shared/compensation-schemas.js';
import { chunks } from '../../src/server/platform/db/chunks.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { seedCustomers } from '../helpers/campaigns.js';
import { STORE_KINDS } from '../helpers/store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(STORE_KINDS)('compensation portal codes retention (%s)', (kind) => {
  let t: TestApp;
  let claimId = '';
  const clock = {
    t: Date.parse('2026-12-04T02:00:00Z'),
    now() {
      return this.t;
    },
  };

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    const admin = await t.login('admin');
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Market data outage: orders rejected', category: 'equipment_failure', grade: 'II' },
    });
    await seedCustomers(t.s, [{ customerNo: 'P1', name: '客户1', phone: '13800001001', language: 'zh-CN' }]);
    const res = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${inc.json().key}/compensation/claims`,
      payload: { customerNo: 'P1', source: 'owner', claimedMinor: 200_000, description: 'orders rejected' },
    });
    expect(res.statusCode, res.body).toBe(201);
    claimId = (res.json() as ClaimDetail).id;
  });
  afterAll(() => t.close());

  const code = (id: string, expiresAt: number, sessionExpiresAt: number | null = null) => ({
    id,
    purpose: 'answer',
    claim_id: claimId,
    incident_id: null,
    customer_id: null,
    ticket_hash: null,
    code_hash: `hash-${id}`,
    attempts: 0,
    expires_at: expiresAt,
    verified_at: sessionExpiresAt === null ? null : expiresAt - 5 * 60_000,
    session_hash: sessionExpiresAt === null ? null : `session-${id}`,
    session_expires_at: sessionExpiresAt,
    ip: '198.51.100.1',
    created_at: expiresAt - 10 * 60_000,
  });
  const ids = async () =>
    (await t.s.store.db.selectFrom('compensation_portal_codes').select('id').orderBy('id').execute()).map((r) => r.id);

  it('deletes only the codes dead for more than a day, in batches', async () => {
    const now = clock.now();
    const live = [
      code('live-code', now + 10 * 60_000),
      code('expired-within-the-day', now - 23 * HOUR),
      code('session-open', now - 2 * DAY, now + HOUR),
      code('session-ended-within-the-day', now - 2 * DAY, now - 23 * HOUR),
    ];
    const dead = [
      code('dead-code', now - DAY - 60_000),
      code('dead-session', now - 3 * DAY, now - DAY - 60_000),
      // More than one batch (1,000 rows a statement).
      ...Array.from({ length: 1_005 }, (_, i) => code(`dead-${String(i).padStart(4, '0')}`, now - 2 * DAY)),
    ];
    for (const rows of chunks([...live, ...dead], 500))
      await t.s.store.db.insertInto('compensation_portal_codes').values(rows).execute();

    expect(await t.s.compensation.prunePortalCodes()).toBe(dead.length);
    expect(await ids()).toEqual(live.map((c) => c.id).sort());

    // Nothing more to do an hour later; two hours later the code and the session that ended 23 hours ago go too.
    expect(await t.s.compensation.prunePortalCodes(now + HOUR)).toBe(0);
    expect(await t.s.compensation.prunePortalCodes(now + 2 * HOUR)).toBe(2);
    expect(await ids()).toEqual(['live-code', 'session-open']);
  });
});
