/**
 * Whether the portal takes claims for an incident (issue 14): staff open it under a public title (zh and
 * en; customers pick the incident by it) with an optional closing time, and close it. Audited.
 */
import type { PortalFiling, PortalFilingBody } from '../../../shared/compensation-filing-schemas.js';
import { iso } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import { isLive, openingOf, portalClaimCount, putOpening } from './opening.repository.js';

export function createOpeningService(deps: CompensationDeps, ctx: CompensationContext) {
  const { store, audit, clock, users } = deps;

  async function view(p: Principal, key: string): Promise<PortalFiling> {
    const db = store.db;
    const ref = await ctx.visibleIncident(db, p, key);
    const [row, filed] = await Promise.all([openingOf(db, ref.id), portalClaimCount(db, ref.id)]);
    const names = await users.namesOf(row?.opened_by ? [row.opened_by] : [], db);
    return {
      open: isLive(row, clock.now()),
      titleZh: row?.title_zh ?? '',
      titleEn: row?.title_en ?? '',
      closesAt: iso(row?.closes_at ?? null),
      openedAt: iso(row?.opened_at ?? null),
      openedBy: row?.opened_by ? { id: row.opened_by, name: names.get(row.opened_by) ?? null } : null,
      filed,
    };
  }

  return {
    view(p: Principal, key: string) {
      assertCan(p, 'compensation.read');
      return view(p, key);
    },

    async set(p: Principal, key: string, body: PortalFilingBody): Promise<PortalFiling> {
      assertCan(p, 'compensation.manage');
      await store.transaction(async (tx) => {
        const ref = await ctx.visibleIncident(tx, p, key);
        const now = clock.now();
        const before = await openingOf(tx, ref.id);
        const row = body.open
          ? {
              incident_id: ref.id,
              title_zh: body.titleZh ?? '',
              title_en: body.titleEn ?? '',
              closes_at: body.closesAt ? Date.parse(body.closesAt) : null,
              closed_at: null,
              opened_by: isLive(before, now) ? before.opened_by : p.user.id,
              opened_at: isLive(before, now) ? Number(before.opened_at) : now,
              updated_at: now,
            }
          : before
            ? { ...before, closed_at: before.closed_at ?? now, updated_at: now }
            : null;
        if (!row) return;
        await putOpening(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'compensation.portal_filing',
          targetType: 'incident',
          targetId: ref.id,
          before: before ? { open: isLive(before, now), titleZh: before.title_zh, titleEn: before.title_en } : null,
          after: {
            open: body.open,
            titleZh: row.title_zh,
            titleEn: row.title_en,
            closesAt: iso(row.closes_at),
          },
          incidents: [ref.id],
        });
      });
      return view(p, key);
    },
  };
}
