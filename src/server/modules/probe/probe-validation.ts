/** What a probe must be to be stored: a check it could run, against a target the outbound guard allows. */
import type { ProbeExpect } from '../../../shared/probe-schemas.js';
import { invalid } from '../../platform/errors.js';
import { GuardRefusal, type OutboundGuard } from '../../platform/outbound-guard.js';
import { compileSafeRegex } from '../detection/index.js';
import { BODY_LIMIT } from './checks.js';
import { isSelfTarget, parseSelfTarget } from './self-target.js';

/** The test of a response body a probe expects to match, if it has a pattern (throws on a refused pattern). */
export const bodyTest = (e: ProbeExpect) => {
  if (!e.bodyRegex) return undefined;
  const re = compileSafeRegex(e.bodyRegex, { maxSubject: BODY_LIMIT });
  return (body: string) => re.test(body);
};

/** Refuses what the probe could never check: a bad target, a refused address, a dangerous pattern. */
export async function validateProbe(
  guard: OutboundGuard,
  s: {
    kind: 'http' | 'tcp';
    target: string;
    intervalS: number;
    timeoutMs: number;
    expect: ProbeExpect;
  },
): Promise<void> {
  if (
    s.kind === 'tcp' &&
    (s.expect.status || s.expect.bodyContains !== undefined || s.expect.bodyRegex !== undefined)
  ) {
    throw invalid(
      'a TCP probe checks the connection only: status and body conditions apply to HTTP probes',
      [{ path: 'expect', message: 'only maxLatencyMs applies to a TCP probe', code: 'tcp_no_http_conditions' }],
      { code: 'probe.tcp_conditions' },
    );
  }
  if (s.timeoutMs >= s.intervalS * 1000)
    throw invalid(
      'the timeout must be shorter than the interval',
      [{ path: 'timeoutMs', message: 'must be less than intervalS × 1000', code: 'timeout_not_below_interval' }],
      { code: 'probe.timeout_not_below_interval' },
    );
  if (s.expect.bodyRegex) {
    try {
      bodyTest(s.expect);
    } catch (err) {
      throw invalid(
        `the body pattern is refused: ${(err as Error).message}`,
        [
          {
            path: 'expect.bodyRegex',
            message: (err as Error).message,
            code: 'refused',
            params: { reason: (err as Error).message },
          },
        ],
        { code: 'probe.body_regex_refused', params: { reason: (err as Error).message } },
      );
    }
  }
  try {
    if (isSelfTarget(s.target)) parseSelfTarget(s.kind, s.target);
    else await guard.resolve(guard.parse(s.kind, s.target).host);
  } catch (err) {
    if (err instanceof GuardRefusal)
      throw invalid(
        `the target is refused: ${err.message}`,
        [{ path: 'target', message: err.message, code: 'refused', params: { reason: err.message } }],
        { code: 'probe.target_refused', params: { reason: err.message } },
      );
    // A name that does not resolve yet is accepted: the service may not be deployed; each check guards again.
  }
}
