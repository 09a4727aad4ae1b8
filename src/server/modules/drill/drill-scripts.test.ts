/**
 * The shipped inject scripts (drills/*.yml): read when first asked for (not at start), so the suite reads
 * them here — a file that does not validate fails this test, naming the file and the problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledPath } from '../../platform/bundled.js';
import { bundledInjectScripts } from './drill-scripts.js';

describe('the bundled inject scripts', () => {
  it('validate, one per scenario of a bundled plan, and are read once', () => {
    const scripts = bundledInjectScripts();
    const plans = fs
      .readdirSync(bundledPath('plans')!)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => path.basename(f, '.yml'));
    expect([...scripts.keys()].sort()).toEqual(['account-takeover', 'ransomware']);
    for (const [plan, script] of scripts) {
      expect(plans, plan).toContain(plan);
      expect(script.plan).toBe(plan);
      expect(script.injects.length, plan).toBeGreaterThan(0);
    }
    expect(bundledInjectScripts()).toBe(scripts);
  });
});
