/**
 * Every audit action the server writes has a name in the console, in zh-CN and English: the server's
 * sources are scanned for the actions they append, and each must be in AUDIT_ACTIONS and both catalogs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from '../../../shared/audit-actions.js';
import { en } from '../../../web/i18n/en.js';
import { zhCN } from '../../../web/i18n/zh-CN.js';

const SERVER = path.resolve('src/server');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** `domain.name` codes in the expression after each `action:` (literals, also inside ternaries), and `targetType:` literals. */
function written(): { actions: Map<string, string>; targets: Map<string, string> } {
  const actions = new Map<string, string>();
  const targets = new Map<string, string>();
  for (const file of sources(SERVER)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\baction:\s*([^\n]*?)(?:,\s*targetType\b|,\s*$|$)/gm)) {
      for (const lit of m[1]!.matchAll(/'([a-z_]+\.[a-z_+]+)'/g)) actions.set(lit[1]!, path.relative(SERVER, file));
    }
    for (const m of text.matchAll(/\btargetType:\s*'([a-z_]+)'/g)) targets.set(m[1]!, path.relative(SERVER, file));
  }
  return { actions, targets };
}

const nameOf = (catalog: Record<string, unknown>, action: string): unknown => {
  const [domain, ...rest] = action.split('.');
  return (catalog[domain!] as Record<string, unknown> | undefined)?.[rest.join('.')];
};

describe('audit action names', () => {
  it('finds the actions the server writes (the scan works)', () => {
    const { actions } = written();
    for (const a of [
      'incident.transition',
      'alert.raise',
      'alert.suppress',
      'rule.enable',
      'rule.disable',
      'user.update+password',
      'session.login',
    ])
      expect(actions.has(a), a).toBe(true);
    expect(actions.size).toBeGreaterThanOrEqual(35);
  });

  it('lists every action the server writes in AUDIT_ACTIONS, and every kind of target in AUDIT_TARGET_TYPES', () => {
    const { actions, targets } = written();
    const missing = [...actions]
      .filter(([a]) => !(AUDIT_ACTIONS as readonly string[]).includes(a))
      .map(([a, file]) => `${a} (${file})`);
    expect(missing, 'add these to src/shared/audit-actions.ts and name them in both catalogs').toEqual([]);
    const missingTargets = [...targets]
      .filter(([k]) => !(AUDIT_TARGET_TYPES as readonly string[]).includes(k))
      .map(([k, file]) => `${k} (${file})`);
    expect(missingTargets).toEqual([]);
  });

  it('names every action and target kind in English and Chinese, each differently from its code', () => {
    for (const [lang, catalog] of [
      ['en', en],
      ['zh-CN', zhCN],
    ] as const) {
      for (const a of AUDIT_ACTIONS) {
        const name = nameOf(catalog.auditAction, a);
        expect(typeof name === 'string' && name.length > 0 && name !== a, `${lang}: auditAction ${a}`).toBe(true);
      }
      for (const k of AUDIT_TARGET_TYPES)
        expect((catalog.auditTarget as Record<string, string>)[k], `${lang}: auditTarget ${k}`).toBeTruthy();
    }
    // One name per action: two actions read alike would be told apart by nobody.
    for (const catalog of [en, zhCN]) {
      const names = AUDIT_ACTIONS.map((a) => nameOf(catalog.auditAction, a));
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
