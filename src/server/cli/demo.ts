/** `tocsin demo`: fills an empty store with the fictional firm, its staff and a few incidents. */
import type { Services } from '../compose.js';
import type { Principal } from '../modules/auth/index.js';
import { toUser } from '../modules/user/index.js';
import { randomToken } from '../platform/crypto.js';
import { CliError } from './context.js';
import { DEMO_FIRM, DEMO_INCIDENTS, DEMO_SERVICES, DEMO_USERS } from './demo-data.js';

export interface DemoResult {
  services: number;
  users: { email: string; role: string }[];
  password: string;
  incidents: string[];
}

/** A clock the demo moves so that history lands at plausible past times. */
export function settableClock(start = Date.now()) {
  let t = start;
  return { now: () => t, set: (ms: number) => void (t = ms) };
}

/** Loads the demo; `s` must be wired with `clock`. Refuses a store that already holds incidents. */
export async function loadDemo(s: Services, clock: ReturnType<typeof settableClock>, password?: string): Promise<DemoResult> {
  const existing = await s.store.db.selectFrom('incidents').select('id').limit(1).executeTakeFirst();
  if (existing) throw new CliError('the store already holds incidents; the demo fills an empty store only (use a fresh TOCSIN_DATA_DIR)');
  const realNow = Date.now();
  const cli = { id: null, label: 'cli:demo' };
  for (const svc of DEMO_SERVICES) {
    const has = await s.store.db.selectFrom('services').select('id').where('key', '=', svc.key).executeTakeFirst();
    if (!has) await s.catalog.create(cli, svc);
  }
  const pass = password ?? `Demo-${randomToken(9)}`;
  const byEmail = new Map<string, Principal>();
  for (const u of DEMO_USERS) {
    const row = await s.store.db.selectFrom('users').selectAll().where('email', '=', u.email).executeTakeFirst();
    const user = row ? toUser(row) : await s.users.create(cli, { ...u, password: pass });
    byEmail.set(u.email, { user, via: 'cli', scopes: null, restrictedTo: null });
  }
  const as = (email: string) => byEmail.get(email)!;
  const commander = as(DEMO_USERS[0]!.email);
  const keys: string[] = [];
  for (const d of DEMO_INCIDENTS) {
    const t0 = realNow - d.detectedMinutesAgo * 60_000;
    const at = (min: number) => clock.set(Math.min(t0 + min * 60_000, realNow));
    at(0);
    const inc = await s.incidents.create(commander, {
      title: d.title,
      summary: d.summary,
      category: d.category,
      grade: d.grade,
      services: d.services,
      tags: d.tags,
      restricted: d.restricted ?? false,
      detectedAt: new Date(t0).toISOString(),
      impact: {
        customersAffected: d.impact.customersAffected,
        fundsAtRisk: d.impact.fundsAtRiskYuan == null ? null : { amountMinor: d.impact.fundsAtRiskYuan * 100, currency: 'CNY' },
        recordsExposed: d.impact.recordsExposed,
        tradingInterrupted: d.impact.tradingInterrupted,
      },
    });
    keys.push(inc.key);
    at(0.5);
    for (const p of d.participants) await s.incidents.addParticipant(commander, inc.key, as(p.email).user.id, p.role);
    const events = [
      ...d.path.map((p) => ({ after: p.after, run: () => s.incidents.transition(commander, inc.key, p.to, p.note) })),
      ...d.notes.map((n) => ({ after: n.after, run: () => s.timeline.append(as(n.email), inc.key, { text: n.text, kind: n.kind }) })),
      ...d.tasks.map((t, i) => ({
        after: 1 + i * 0.1,
        run: async () => {
          const task = await s.timeline.createTask(commander, inc.key, {
            title: t.title,
            ownerUserId: t.ownerEmail ? as(t.ownerEmail).user.id : undefined,
            ownerRole: t.ownerRole,
            dueAt: new Date(t0 + t.dueAfter * 60_000).toISOString(),
          });
          if (t.done) {
            at(t.dueAfter - 1);
            await s.timeline.updateTask(commander, inc.key, task.id, { status: 'done' });
          }
        },
      })),
    ].sort((a, b) => a.after - b.after);
    for (const e of events) {
      at(e.after);
      await e.run();
    }
  }
  clock.set(Date.now());
  return { services: DEMO_SERVICES.length, users: DEMO_USERS.map((u) => ({ email: u.email, role: u.role })), password: pass, incidents: keys };
}

export const demoFirmName = `${DEMO_FIRM.nameZh} ${DEMO_FIRM.nameEn}`;
