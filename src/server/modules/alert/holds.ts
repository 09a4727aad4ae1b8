/** Suppressions and maintenance windows compiled into one test: does anything hold this alert back? */
import type { Entities } from '../../../shared/alert-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { entityMatcher } from './entities.js';
import {
  activeSuppressions,
  windowsOverlapping,
  type SuppressionRow,
  type WindowRow,
} from './suppression.repository.js';

export interface Hold {
  kind: 'suppression' | 'maintenance';
  id: string;
  /** Null when withheld (a suppression asked for from an alert of a restricted incident). */
  reason: string | null;
}

export interface HoldSubject {
  ruleId: string;
  entities: Entities;
  services: string[];
  time: number;
}

type Test = (a: HoldSubject) => boolean;

const ruleTest = (ruleIds: string[]): Test | null => {
  if (!ruleIds.length) return null;
  const set = new Set(ruleIds.map((r) => r.toLowerCase()));
  return (a) => set.has(a.ruleId.toLowerCase());
};

const anyEntity = (refs: { kind: 'account' | 'host' | 'ip'; value: string }[]): Test | null => {
  if (!refs.length) return null;
  const tests = refs.map(entityMatcher);
  return (a) => tests.some((t) => t(a.entities));
};

const all = (tests: (Test | null)[]): Test => {
  const present = tests.filter((t): t is Test => t !== null);
  return (a) => present.every((t) => t(a));
};

/**
 * A maintenance window holds an alert seen inside [starts, ends) when every scope it names matches
 * (any of its services, any of its rules, any of its entities); a suppression holds an alert when its
 * rule (if named) and its entity (if named) match. Windows are checked first: planned work explains
 * an alert better than a standing suppression does.
 */
export function compileHolds(
  suppressions: (SuppressionRow & { withheld?: number | null })[],
  windows: WindowRow[],
): (a: HoldSubject) => Hold | null {
  const checks: { hold: Hold; test: Test }[] = [];
  for (const w of windows) {
    const services = JSON.parse(w.services) as string[];
    // A window that names no scope would silence everything: never created, and ignored if found.
    if (!services.length && w.rule_ids === '[]' && w.entities === '[]') continue;
    checks.push({
      hold: { kind: 'maintenance', id: w.id, reason: w.reason },
      test: all([
        (a) => a.time >= w.starts_at && a.time < w.ends_at,
        services.length ? (a) => a.services.some((s) => services.includes(s)) : null,
        ruleTest(JSON.parse(w.rule_ids) as string[]),
        anyEntity(JSON.parse(w.entities) as { kind: 'account' | 'host' | 'ip'; value: string }[]),
      ]),
    });
  }
  for (const s of suppressions) {
    if (!s.rule_id && !s.entity_value) continue;
    checks.push({
      hold: { kind: 'suppression', id: s.id, reason: s.withheld ? null : s.reason },
      test: all([
        s.rule_id ? ruleTest([s.rule_id]) : null,
        s.entity_kind && s.entity_value
          ? anyEntity([{ kind: s.entity_kind as 'account' | 'host' | 'ip', value: s.entity_value }])
          : null,
      ]),
    });
  }
  return (a) => checks.find((c) => c.test(a))?.hold ?? null;
}

/** The test of what holds back alerts seen in [from, to]: the suppressions in force at `now` and the windows overlapping. */
export async function holdsAt(db: Db, now: number, from: number, to: number): Promise<(a: HoldSubject) => Hold | null> {
  const [sups, wins] = await Promise.all([activeSuppressions(db, now), windowsOverlapping(db, from, to)]);
  return compileHolds(sups, wins);
}
