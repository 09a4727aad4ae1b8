/** Probes of the firm's services: manage them, run them (scheduled or now), read each service's health. */
import type {
  Probe,
  ProbeCreate,
  ProbeResult,
  ProbeUpdate,
  ServiceHealth,
  ServiceHealthDetail,
} from '../../../shared/probe-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { ProbeConfig } from '../../platform/config.js';
import type { Store } from '../../platform/db/connect.js';
import type { ServicesTable } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import { newId, type Clock } from '../../platform/ids.js';
import { createOutboundGuard, type OutboundGuard } from '../../platform/outbound-guard.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { RuleMatch } from '../detection/index.js';
import { bodyTest, validateProbe } from './probe-validation.js';
import { auditShape, toProbe, toResult } from './probe.mapper.js';
import {
  allServices,
  deleteProbe,
  dueProbes,
  findProbe,
  findServiceByKey,
  insertProbe,
  probesOfService,
  pruneResults,
  updateProbe,
  type ProbeRow,
  type ProbeView,
} from './probe.repository.js';
import { createRunner, recomputeHealth } from './runner.js';
import type { SelfAddress } from './self-target.js';
import { createHealthReader } from './service-health.js';

/** Checks under way at once, over all probes. */
export const MAX_CONCURRENT = 16;

export interface ProbeServiceDeps {
  store: Store;
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  config: ProbeConfig;
  /** Where a probe going down is reported: the alert intake (`alerts.raise`). */
  raise: (matches: RuleMatch[]) => Promise<unknown>;
  guard?: OutboundGuard;
  onError?: (err: unknown, where: string) => void;
  random?: () => number;
}

export function createProbeService(deps: ProbeServiceDeps) {
  const { store, audit, clock, config } = deps;
  const guard =
    deps.guard ??
    createOutboundGuard({
      denyCidrs: config.denyCidrs,
      allowCidrs: config.allowCidrs,
      allowLoopback: config.allowLoopback,
    });
  const onError =
    deps.onError ?? ((err, where) => process.stderr.write(`tocsin: ${where} failed: ${(err as Error).message}\n`));
  let selfAddress: SelfAddress | null = null;
  const runner = createRunner({
    store,
    audit,
    bus: deps.bus,
    guard,
    bodyTest,
    raise: deps.raise,
    onError,
    random: deps.random,
    self: () => selfAddress,
  });

  async function service(key: string): Promise<ServicesTable> {
    const svc = await findServiceByKey(store.db, key);
    if (!svc) throw notFound(`service ${key}`, { code: 'service.not_found', params: { key } });
    return svc;
  }

  async function probe(id: string): Promise<ProbeView> {
    const row = await findProbe(store.db, id);
    if (!row) throw notFound(`probe ${id}`, { code: 'probe.not_found', params: { id } });
    return row;
  }

  const validate = (s: Parameters<typeof validateProbe>[1]) => validateProbe(guard, s);
  const health = createHealthReader({ store, clock });
  const withResults = health.withResults;

  return {
    async list(p: Principal, serviceKey: string): Promise<{ items: Probe[] }> {
      assertCan(p, 'service.read');
      const svc = await service(serviceKey);
      return { items: await withResults(await probesOfService(store.db, svc.id)) };
    },

    async create(p: Principal, serviceKey: string, asked: ProbeCreate): Promise<Probe> {
      assertCan(p, 'probe.manage');
      const svc = await service(serviceKey);
      const input = { ...asked, timeoutMs: asked.timeoutMs ?? Math.min(5000, asked.intervalS * 500) };
      await validate(input);
      const now = clock.now();
      const { out, change } = await store.transaction(async (tx) => {
        const row: ProbeRow = {
          id: newId(),
          service_id: svc.id,
          name: input.name,
          kind: input.kind,
          target: input.target,
          interval_s: input.intervalS,
          timeout_ms: input.timeoutMs,
          expect: JSON.stringify(input.expect),
          failures_to_down: input.failuresToDown,
          successes_to_up: input.successesToUp,
          enabled: input.enabled ? 1 : 0,
          state: 'unknown',
          state_since: now,
          fail_streak: 0,
          ok_streak: 0,
          next_run_at: now,
          last_run_at: null,
          created_at: now,
          updated_at: now,
        };
        await insertProbe(tx, row);
        const out = toProbe({ ...row, service_key: svc.key }, undefined);
        await audit.append(tx, actorOf(p), {
          action: 'probe.create',
          targetType: 'probe',
          targetId: row.id,
          after: auditShape(out),
        });
        const { change } = await recomputeHealth(tx, svc.id, now, false, `probe ${row.name} added`);
        return { out, change };
      });
      runner.publish(change);
      return out;
    },

    async update(p: Principal, id: string, input: ProbeUpdate): Promise<Probe> {
      assertCan(p, 'probe.manage');
      const cur = await probe(id);
      const before = toProbe(cur, undefined);
      const merged = { ...before, ...input, expect: input.expect ?? before.expect };
      if (
        input.target !== undefined ||
        input.expect !== undefined ||
        input.intervalS !== undefined ||
        input.timeoutMs !== undefined
      )
        await validate(merged);
      const now = clock.now();
      const { change } = await store.transaction(async (tx) => {
        const row = await findProbe(tx, id);
        if (!row) throw notFound(`probe ${id}`, { code: 'probe.not_found', params: { id } });
        const patch: Partial<ProbeRow> = {
          name: merged.name,
          target: merged.target,
          interval_s: merged.intervalS,
          timeout_ms: merged.timeoutMs,
          expect: JSON.stringify(merged.expect),
          failures_to_down: merged.failuresToDown,
          successes_to_up: merged.successesToUp,
          enabled: merged.enabled ? 1 : 0,
          updated_at: now,
        };
        // A new target or a switch on or off starts the verdict afresh, and the check runs at once.
        if (merged.target !== before.target || merged.enabled !== before.enabled)
          Object.assign(patch, { state: 'unknown', state_since: now, fail_streak: 0, ok_streak: 0, next_run_at: now });
        else if (merged.intervalS !== before.intervalS) patch.next_run_at = now;
        await updateProbe(tx, id, patch);
        await audit.append(tx, actorOf(p), {
          action: 'probe.update',
          targetType: 'probe',
          targetId: id,
          before: auditShape(before),
          after: auditShape({ ...before, ...merged }),
        });
        return recomputeHealth(
          tx,
          row.service_id,
          now,
          patch.state !== undefined && row.state !== 'unknown',
          `probe ${merged.name} changed`,
        );
      });
      runner.publish(change);
      return (await withResults([await probe(id)]))[0]!;
    },

    async remove(p: Principal, id: string): Promise<void> {
      assertCan(p, 'probe.manage');
      const cur = await probe(id);
      const now = clock.now();
      const { change } = await store.transaction(async (tx) => {
        await deleteProbe(tx, id);
        await audit.append(tx, actorOf(p), {
          action: 'probe.delete',
          targetType: 'probe',
          targetId: id,
          before: auditShape(toProbe(cur, undefined)),
        });
        return recomputeHealth(tx, cur.service_id, now, true, `probe ${cur.name} removed`);
      });
      runner.publish(change);
    },

    /** Runs a probe now (joining a run already under way) and answers its result and state. */
    async runNow(p: Principal, id: string): Promise<{ result: ProbeResult; probe: Probe }> {
      assertCan(p, 'probe.manage');
      const cur = await probe(id);
      const out = await runner.execute(cur, clock.now(), actorOf(p));
      if (!out.probe) throw notFound(`probe ${id}`, { code: 'probe.not_found', params: { id } });
      return { result: toResult(out.result), probe: (await withResults([out.probe]))[0]! };
    },

    /**
     * Starts every enabled probe due at `now` (at most MAX_CONCURRENT checks at once); the scheduler calls
     * it each tick. Resolves when those runs are recorded unless `wait` is false. Returns how many started.
     */
    async runDue(now: number, opts: { wait?: boolean } = {}): Promise<number> {
      const free = MAX_CONCURRENT - runner.inFlight;
      if (free <= 0) return 0;
      const due = (await dueProbes(store.db, now, MAX_CONCURRENT * 2))
        .filter((v) => !runner.isRunning(v.id) && !runner.ranSince(v))
        .slice(0, free);
      const runs = due.map((v) => runner.execute(v, now, null).catch((err) => onError(err, `probe ${v.id}`)));
      if (opts.wait !== false) await Promise.all(runs);
      return due.length;
    },

    /** Deletes results older than the retention period, `batch` rows per statement, up to `maxBatches`. */
    async prune(now: number, batch = 1000, maxBatches = 20): Promise<number> {
      let total = 0;
      for (let i = 0; i < maxBatches; i++) {
        const n = await store.transaction((tx) => pruneResults(tx, now - config.retentionMs, batch));
        total += n;
        if (n < batch) break;
      }
      return total;
    },

    async health(p: Principal, serviceKey: string): Promise<ServiceHealthDetail> {
      assertCan(p, 'service.read');
      return health.detail(await service(serviceKey));
    },

    async healthAll(p: Principal): Promise<{ items: ServiceHealth[] }> {
      assertCan(p, 'service.read');
      return { items: await health.ofServices(await allServices(store.db)) };
    },

    /** Stops checks under way (they are not recorded). */
    stop: () => runner.stop(),

    /** Tells `self` targets where this Tocsin listens (the server calls it once it listens). */
    setSelfAddress(at: SelfAddress | null): void {
      selfAddress = at;
    },
  };
}

export type ProbeService = ReturnType<typeof createProbeService>;
