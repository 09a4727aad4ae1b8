/**
 * The session policy (issue 17, docs/session-policy.md): stored as one row, read through a cache so a
 * request does not read the store. A change here drops this process's copy at its commit and signals the
 * other processes (at scale); were the signal lost, the copy is read again after CACHE_TTL_MS anyway.
 */
import {
  DEFAULT_SESSION_POLICY,
  SessionPolicy,
  type SessionPolicyView,
} from '../../../shared/session-policy-schemas.js';
import type { Config } from '../../platform/config.js';
import { createLocalSignals, type Signals } from '../../platform/cluster/signals.js';
import { afterCommit, type Store } from '../../platform/db/connect.js';
import { invalid, type FieldError } from '../../platform/errors.js';
import { iso, type Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { addressAllowed, badEntries, compileAllowList, type AllowList } from './ip-allow-list.js';
import { actorOf, assertCan, type Principal } from './principal.js';
import { findSessionPolicy, saveSessionPolicy } from './session-policy.repository.js';

/** How long a process trusts its copy of the policy without a signal (cluster mode: other processes' changes). */
export const CACHE_TTL_MS = 5_000;
const SIGNAL = 'session-policy';

/** The policy in the form the checks use. */
export interface EffectivePolicy {
  policy: SessionPolicy;
  /** Idle timeout in ms, or null. */
  idleMs: number | null;
  /** Absolute session lifetime in ms (the policy's, else TOCSIN_SESSION_TTL_HOURS). */
  absoluteMs: number;
  singleSession: boolean;
  console: AllowList;
  tokens: AllowList;
  /** Longest API token lifetime in ms, or null. */
  tokenMaxMs: number | null;
}

const HOUR = 3600_000;

export function createSessionPolicyService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  config: Pick<Config, 'sessionTtlMs'>;
  signals?: Signals;
}) {
  const { store, audit, clock, config } = deps;
  const signals = deps.signals ?? createLocalSignals();
  let cached: { at: number; value: EffectivePolicy; updatedAt: number | null; updatedBy: string | null } | null = null;
  const forget = () => {
    cached = null;
  };
  signals.onSignal(SIGNAL, forget);

  const effective = (policy: SessionPolicy): EffectivePolicy => ({
    policy,
    idleMs: policy.idleTimeoutMinutes === null ? null : policy.idleTimeoutMinutes * 60_000,
    absoluteMs: policy.absoluteTimeoutHours === null ? config.sessionTtlMs : policy.absoluteTimeoutHours * HOUR,
    singleSession: policy.singleSession,
    console: compileAllowList(policy.consoleAllowList),
    tokens: compileAllowList(policy.tokenAllowList),
    tokenMaxMs: policy.tokenMaxLifetimeDays === null ? null : policy.tokenMaxLifetimeDays * 24 * HOUR,
  });

  async function load() {
    const now = clock.now();
    if (cached && now - cached.at < CACHE_TTL_MS && now >= cached.at) return cached;
    const row = await findSessionPolicy(store.db);
    // A row written by a newer version with fields this one does not know: the known ones count.
    const parsed = row
      ? SessionPolicy.safeParse({ ...DEFAULT_SESSION_POLICY, ...pick(JSON.parse(row.policy_json)) })
      : null;
    const policy = parsed?.success ? parsed.data : DEFAULT_SESSION_POLICY;
    cached = {
      at: now,
      value: effective(policy),
      updatedAt: row?.updated_at ?? null,
      updatedBy: row?.updated_by ?? null,
    };
    return cached;
  }

  function validate(input: SessionPolicy, p: Principal, address: string): void {
    const bad = (['consoleAllowList', 'tokenAllowList'] as const).flatMap((key) =>
      badEntries(input[key]).map((b) => ({ key, ...b })),
    );
    if (bad.length) {
      const errors: FieldError[] = bad.map(({ key, index, entry }) => ({
        path: `body.${key}.${index}`,
        message: `${JSON.stringify(entry)} is not an IPv4 or IPv6 address or CIDR block`,
        code: 'invalid_ip',
      }));
      throw invalid(`an allow-list entry is not an address or CIDR block: ${errors[0]!.message}`, errors, {
        code: 'entity.invalid_ip',
        params: { value: bad[0]!.entry },
      });
    }
    // The lock-out guard: the list that applies to the caller's own way in must still let them in.
    const key = p.via === 'token' ? 'tokenAllowList' : p.via === 'session' ? 'consoleAllowList' : null;
    if (key && !addressAllowed(compileAllowList(input[key]), address))
      throw invalid(
        `the ${key === 'consoleAllowList' ? 'console' : 'API token'} allow-list does not contain your current address ${address}: saving it would lock you out. Add your address (or its network) first.`,
        [
          {
            path: `body.${key}`,
            message: `must contain ${address}`,
            code: 'must_contain_address',
            params: { address },
          },
        ],
        { code: 'session_policy.locks_you_out', params: { address } },
      );
  }

  // Refusals already audited (key -> when), so a console polling from a refused address writes one entry a minute.
  const refused = new Map<string, number>();

  return {
    /** Whether a refusal of `key` (a session or token and an address) should be audited now: at most once a minute each. */
    auditRefusal(key: string): boolean {
      const now = clock.now();
      const last = refused.get(key);
      if (last !== undefined && now - last < 60_000 && now >= last) return false;
      if (refused.size >= 10_000) refused.clear();
      refused.set(key, now);
      return true;
    },

    /** The policy in force (cached). */
    async current(): Promise<EffectivePolicy> {
      return (await load()).value;
    },

    /** The policy for the settings page (administrators). */
    async view(p: Principal, address: string): Promise<SessionPolicyView> {
      assertCan(p, 'session_policy.read');
      const c = await load();
      return {
        policy: c.value.policy,
        configuredSessionHours: config.sessionTtlMs / HOUR,
        yourAddress: address,
        updatedAt: iso(c.updatedAt),
        updatedBy: c.updatedBy,
      };
    },

    /** Replaces the policy (administrators), audited with before and after; refused when it would lock the caller out. */
    async update(p: Principal, input: SessionPolicy, address: string): Promise<SessionPolicyView> {
      assertCan(p, 'session_policy.manage');
      validate(input, p, address);
      const now = clock.now();
      await store.transaction(async (tx) => {
        const row = await findSessionPolicy(tx);
        const before = row
          ? { ...DEFAULT_SESSION_POLICY, ...pick(JSON.parse(row.policy_json)) }
          : DEFAULT_SESSION_POLICY;
        await saveSessionPolicy(tx, { policy_json: JSON.stringify(input), updated_at: now, updated_by: p.user.id });
        await audit.append(tx, actorOf(p), {
          action: 'session_policy.update',
          targetType: 'session_policy',
          targetId: 'session_policy',
          before,
          after: input,
        });
        afterCommit(tx, () => {
          forget();
          signals.publishSignal(SIGNAL);
        });
      });
      return this.view(p, address);
    },
  };
}

/** The policy's own fields of a stored object (drops what this version does not know). */
function pick(o: Record<string, unknown>): Partial<SessionPolicy> {
  const keys = Object.keys(DEFAULT_SESSION_POLICY) as (keyof SessionPolicy)[];
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]])) as Partial<SessionPolicy>;
}

export type SessionPolicyService = ReturnType<typeof createSessionPolicyService>;
