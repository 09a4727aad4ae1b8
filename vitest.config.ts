import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages from their TypeScript source, as tsconfig.json's `paths` says (no build needed).
    alias: { '@tocsin/sigma': fileURLToPath(new URL('./packages/sigma/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A migrated SQLite store to copy, and a PostgreSQL database per worker (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // The test suite's cheap password-hashing cost, before every file (test/setup.ts).
    setupFiles: ['test/setup.ts'],
    // Two files at a time on the two cores: much of a test file's time is waiting (child processes,
    // the disk, PostgreSQL, Chromium), and vitest's default on two cores is one worker.
    maxWorkers: 2,
    // A worker runs its files one after another in one process and loads the server's modules once:
    // importing them again for each of ~150 files was a quarter of the suite's time. Test files keep
    // no state in modules they share (each makes its own stores, servers and clocks).
    isolate: false,
    // `gc()` for the tests that time the event loop (test/api/ingest-hostile.test.ts): a worker that has run
    // many files holds a heap of 1-1.5 GB, and a full collection owed to earlier files paused its loop for
    // 1-2.3 s in the middle of such a measurement.
    execArgv: ['--expose-gc'],
    // `expect.poll` waits up to 10 s (vitest's default is 1 s): what a browser test polls for (a page's text
    // after a click, a count after a refresh) is there at once on a quiet machine and took longer than a
    // second on a loaded one (two scoping.e2e polls failed so, with three files at a time). A poll that is
    // met returns at once, so this costs a passing test nothing.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default', './test/slowest-reporter.ts'],
  },
});
