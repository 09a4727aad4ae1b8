/**
 * Prints the test files that took longest (their tests and hooks), after the run: where the suite's
 * time goes, so that CI's time can be planned (the brief wants it well under 15 minutes). Files run two
 * at a time, so the sum is about twice the wall time.
 */
import type { Reporter, TestModule } from 'vitest/node';

const SHOWN = 25;

export default class SlowestReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows = modules
      .map((m) => ({ file: m.moduleId.replace(`${process.cwd()}/`, ''), ms: m.diagnostic().duration }))
      .sort((a, b) => b.ms - a.ms);
    if (!rows.length) return;
    const total = rows.reduce((s, r) => s + r.ms, 0);
    const lines = rows.slice(0, SHOWN).map((r) => `${(r.ms / 1000).toFixed(1).padStart(7)} s  ${r.file}`);
    process.stdout.write(
      `\nSlowest test files (of ${rows.length}; ${(total / 1000).toFixed(0)} s of tests and hooks in all):\n${lines.join('\n')}\n`,
    );
  }
}
