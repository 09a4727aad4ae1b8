/**
 * Running probes: one check at a time per probe, results recorded with the probe's new state (hysteresis)
 * and its service's health in one transaction; after commit, changes go on the bus and a probe that went
 * down raises an alert through the rule-match path (like any detector).
 */
import type { HealthState, ProbeExpect, ServiceHealthChange } from '../../../shared/probe-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { iso, newId } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { RuleMatch } from '../detection/index.js';
import { runCheck, type CheckResult } from './checks.js';
import type { OutboundGuard } from '../../platform/outbound-guard.js';
import { nextState, worst } from './hysteresis.js';
import type { SelfAddress } from './self-target.js';
import {
  findHealth,
  findProbe,
  findServiceById,
  insertHealthChange,
  insertResult,
  probesOfService,
  saveHealth,
  updateProbe,
  type ProbeView,
  type ResultRow,
} from './probe.repository.js';

export interface RunnerDeps {
  store: Store;
  audit: AuditService;
  bus: Bus;
  guard: OutboundGuard;
  /** Compiles `expect.bodyRegex` (validated when the probe was saved). */
  bodyTest: (expect: ProbeExpect) => ((body: string) => boolean) | undefined;
  raise: (matches: RuleMatch[]) => Promise<unknown>;
  onError: (err: unknown, where: string) => void;
  random?: () => number;
  /** Where this Tocsin listens (for `self` targets); null until it does. */
  self: () => SelfAddress | null;
}

/** A recomputed service health, and what the bus should hear after commit. */
export interface HealthOutcome {
  change: ServiceHealthChange | null;
}

export interface RunOutcome {
  result: ResultRow;
  /** The probe as it is after the run (null: it was deleted while running). */
  probe: ProbeView | null;
}

/** Up to 10% of the interval (at most 5 s), so probes of the same interval spread out. */
export const jitterMs = (intervalS: number, random: () => number) =>
  Math.floor(random() * Math.min(intervalS * 100, 5000));

/** Recomputes a service's health from its enabled probes inside `tx`; records a change. */
export async function recomputeHealth(
  tx: Db,
  serviceId: string,
  now: number,
  probeChanged: boolean,
  reason: string,
): Promise<HealthOutcome> {
  const [probes, cur, svc] = await Promise.all([
    probesOfService(tx, serviceId),
    findHealth(tx, serviceId),
    findServiceById(tx, serviceId),
  ]);
  const state = worst(probes.filter((p) => Number(p.enabled) === 1).map((p) => p.state as HealthState));
  const previous = (cur?.state ?? 'unknown') as HealthState;
  let since = cur?.since ?? svc?.created_at ?? now;
  const changed = state !== previous;
  if (changed || !cur) {
    if (changed) since = now;
    await saveHealth(tx, { service_id: serviceId, state, since });
  }
  if (changed)
    await insertHealthChange(tx, {
      id: newId(),
      service_id: serviceId,
      probe_id: null,
      from_state: previous,
      to_state: state,
      at: now,
      reason,
    });
  if (!changed && !probeChanged) return { change: null };
  return {
    change: {
      serviceKey: svc?.key ?? '',
      state,
      since: iso(since),
      previous,
      probes: probes.map((p) => ({ id: p.id, state: p.state as HealthState, since: iso(p.state_since) })),
    },
  };
}

export function createRunner(deps: RunnerDeps) {
  const { store, audit, bus, guard, raise, onError } = deps;
  const random = deps.random ?? Math.random;
  const running = new Map<string, Promise<RunOutcome>>();
  /** The time of each probe's last recorded run, so a stale "due" list never starts a second run. */
  const lastAt = new Map<string, number>();
  const abort = new AbortController();

  function publish(change: ServiceHealthChange | null): void {
    if (change)
      bus.publish({
        event: 'service.health',
        incidentKey: null,
        health: change,
        audience: { restricted: false, memberIds: [], permission: 'service.read' },
      });
  }

  async function record(
    view: ProbeView,
    r: CheckResult,
    at: number,
    actor: Actor | null,
  ): Promise<RunOutcome & { change: ServiceHealthChange | null; wentDown: boolean; failStreak: number }> {
    return store.transaction(
      async (tx) => {
        const result: ResultRow = {
          id: newId(),
          probe_id: view.id,
          at,
          outcome: r.outcome,
          latency_ms: r.latencyMs,
          status_code: r.status,
          error: r.error,
        };
        const cur = await findProbe(tx, view.id);
        if (!cur) return { result, probe: null, change: null, wentDown: false, failStreak: 0 };
        await insertResult(tx, result);
        const before = cur.state as HealthState;
        const enabled = Number(cur.enabled) === 1;
        // A probe disabled while its check ran keeps the result but not a verdict.
        const next = enabled
          ? nextState(
              { state: before, failStreak: Number(cur.fail_streak), okStreak: Number(cur.ok_streak) },
              r.outcome,
              { failuresToDown: Number(cur.failures_to_down), successesToUp: Number(cur.successes_to_up) },
            )
          : { state: before, failStreak: Number(cur.fail_streak), okStreak: Number(cur.ok_streak) };
        const moved = next.state !== before;
        const patch = {
          state: next.state,
          state_since: moved ? at : Number(cur.state_since),
          fail_streak: next.failStreak,
          ok_streak: next.okStreak,
          last_run_at: at,
          next_run_at: at + Number(cur.interval_s) * 1000 + jitterMs(Number(cur.interval_s), random),
        };
        await updateProbe(tx, cur.id, patch);
        const probe = { ...cur, ...patch };
        let change: ServiceHealthChange | null = null;
        if (moved) {
          await insertHealthChange(tx, {
            id: newId(),
            service_id: cur.service_id,
            probe_id: cur.id,
            from_state: before,
            to_state: next.state,
            at,
            reason: r.error,
          });
          change = (
            await recomputeHealth(tx, cur.service_id, at, true, `probe ${cur.name}: ${before} -> ${next.state}`)
          ).change;
        }
        if (actor) {
          await audit.append(tx, actor, {
            action: 'probe.run',
            targetType: 'probe',
            targetId: cur.id,
            before: { state: before },
            after: { state: next.state, outcome: r.outcome, latencyMs: r.latencyMs, status: r.status, error: r.error },
          });
        }
        return { result, probe, change, wentDown: moved && next.state === 'down', failStreak: next.failStreak };
        // Scheduled checks arrive at the probes' rate and write no audit entry: no fsync wait, no chain lock.
        // A run by a person is audited, and durable like any change of theirs.
      },
      actor ? {} : { durability: 'relaxed', audited: false },
    );
  }

  function downMatch(
    p: ProbeView,
    r: CheckResult,
    at: number,
    failures: number,
    names: { zh: string; en: string },
  ): RuleMatch {
    return {
      ruleId: `probe:${p.id}`,
      ruleTitle: `Probe down: ${names.en} · ${p.name}`,
      ruleTitleZh: `拨测失败：${names.zh} · ${p.name}`,
      level: 'high',
      tags: ['tocsin.availability', 'tocsin.probe'],
      kind: 'anomaly',
      time: at,
      events: [
        {
          id: `probe:${p.id}:${at}`,
          time: at,
          source: 'probe',
          logsource: { product: 'tocsin', category: 'probe' },
          fields: {
            'tocsin.service': p.service_key,
            probe: p.name,
            probe_id: p.id,
            probe_kind: p.kind,
            target: p.target,
            error: r.error,
            status: r.status,
            latency_ms: r.latencyMs,
            consecutive_failures: failures,
          },
        },
      ],
    };
  }

  /** Runs one probe now (or joins the run already under way) and records it. */
  function execute(view: ProbeView, at: number, actor: Actor | null): Promise<RunOutcome> {
    const inFlight = running.get(view.id);
    if (inFlight) return inFlight;
    const run = (async (): Promise<RunOutcome> => {
      const expect = JSON.parse(view.expect) as ProbeExpect;
      const r = await runCheck(
        {
          kind: view.kind as 'http' | 'tcp',
          target: view.target,
          timeoutMs: Number(view.timeout_ms),
          expect,
          bodyTest: deps.bodyTest(expect),
        },
        guard,
        abort.signal,
        deps.self(),
      );
      // Stopping: a check cut short says nothing about the service.
      if (abort.signal.aborted)
        return {
          result: {
            id: '',
            probe_id: view.id,
            at,
            outcome: r.outcome,
            latency_ms: r.latencyMs,
            status_code: r.status,
            error: 'stopped',
          },
          probe: null,
        };
      const out = await record(view, r, at, actor);
      lastAt.set(view.id, at);
      publish(out.change);
      if (out.wentDown && out.probe) {
        const svc = await findServiceById(store.db, out.probe.service_id);
        await raise([
          downMatch(out.probe, r, at, out.failStreak, {
            zh: svc?.name_zh ?? '',
            en: svc?.name_en ?? out.probe.service_key,
          }),
        ]).catch((err) => onError(err, 'probe alert'));
      }
      return { result: out.result, probe: out.probe };
    })().finally(() => running.delete(view.id));
    running.set(view.id, run);
    return run;
  }

  return {
    execute,
    publish,
    /** Whether a stale list entry for `view` has already been run. */
    ranSince: (view: ProbeView) => (lastAt.get(view.id) ?? -Infinity) > (view.last_run_at ?? -Infinity),
    isRunning: (id: string) => running.has(id),
    get inFlight() {
      return running.size;
    },
    /** Aborts checks under way and waits for them to be recorded. */
    async stop(): Promise<void> {
      abort.abort();
      await Promise.allSettled([...running.values()]);
    },
  };
}
