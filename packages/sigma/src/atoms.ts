/**
 * Prefilter conditions of compiled predicates, in conjunctive normal form: a list of clauses, each
 * a list of atoms one of which must hold (types.ts Atom); all clauses must hold. No clause: nothing
 * is required (the rule runs on every event of its route). The route (route.ts) makes a rule a
 * candidate only when every one of its clauses has an atom present in the event.
 */
import type { Atom, AtomSet } from './types.js';

/** Clauses kept per predicate: the most selective ones. */
export const MAX_CLAUSES = 3;

/** How selective an atom is: its length (up to 8), more when anchored (an anchored literal is rarer and cheaper to look up). */
const atomScore = (x: Atom) =>
  Math.min(x.literal.length, 8) + (x.kind === 'exact' ? 4 : x.kind === 'suffix' || x.kind === 'prefix' ? 3 : 0);
const clauseScore = (c: Atom[]) => c.reduce((m, x) => Math.min(m, atomScore(x)), Infinity);

const clauseKey = (c: Atom[]) =>
  c
    .map((a) => `${a.field ?? '\u0000'}\u0001${a.kind ?? 'contains'}\u0001${a.literal}`)
    .sort()
    .join('\u0002');

/** AND: every part's clauses hold; the most selective MAX_CLAUSES distinct ones are kept. */
export function andClauses(parts: Atom[][][]): Atom[][] {
  const seen = new Set<string>();
  const all: Atom[][] = [];
  for (const p of parts) {
    for (const c of p) {
      const k = clauseKey(c);
      if (seen.has(k)) continue;
      seen.add(k);
      all.push(c);
    }
  }
  all.sort((a, b) => clauseScore(b) - clauseScore(a) || a.length - b.length);
  return all.slice(0, MAX_CLAUSES);
}

/** OR: one of the parts holds, so one of their best clauses' atoms is present; none if a part requires nothing. */
export function orClauses(parts: Atom[][][]): Atom[][] {
  if (parts.length === 1) return parts[0]!;
  const out: Atom[] = [];
  for (const p of parts) {
    if (p.length === 0) return [];
    out.push(...p[0]!);
  }
  return [out];
}

/** One clause as CNF (null: no requirement). */
export const clausesOf = (atoms: AtomSet): Atom[][] => (atoms === null || atoms.length === 0 ? [] : [atoms]);
