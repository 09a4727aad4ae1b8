/**
 * Readiness of this process (`GET /readyz`): named checks that each part adds — the store answers,
 * NATS is connected, the HTTP routes are registered (web), the consumers and schedulers have started
 * (worker). Ready when every check passes and the process is not shutting down; a graceful shutdown
 * turns it not ready first, so a load balancer stops sending before the listener closes.
 */

/** A check: true when its part is ready; a string is a reason it is not. A throw counts as not ready. */
export type ReadinessCheck = () => boolean | string | Promise<boolean | string>;

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface Readiness {
  /** Adds (or replaces) the check `name`. */
  add(name: string, check: ReadinessCheck): void;
  ready(): Promise<ReadinessReport>;
  /** Not ready from now on: the process is shutting down. */
  drain(): void;
  draining(): boolean;
}

/** How long a check may take before it counts as failed (a store that hangs must not hang /readyz). */
const CHECK_TIMEOUT_MS = 2_000;

export function createReadiness(): Readiness {
  const checks = new Map<string, ReadinessCheck>();
  let draining = false;

  async function run(check: ReadinessCheck): Promise<{ ok: boolean; detail?: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
      timer.unref();
    });
    try {
      const r = await Promise.race([Promise.resolve().then(check), timeout]);
      return r === true ? { ok: true } : { ok: false, detail: typeof r === 'string' ? r : 'not ready' };
    } catch (err) {
      return { ok: false, detail: (err as Error).message || 'failed' };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    add(name, check) {
      checks.set(name, check);
    },
    async ready() {
      const names = [...checks.keys()];
      const results = await Promise.all(names.map((n) => run(checks.get(n)!)));
      const report: ReadinessReport['checks'] = {};
      names.forEach((n, i) => {
        report[n] = results[i]!;
      });
      report.shutdown = draining ? { ok: false, detail: 'shutting down' } : { ok: true };
      return { ok: Object.values(report).every((c) => c.ok), checks: report };
    },
    drain() {
      draining = true;
    },
    draining: () => draining,
  };
}
