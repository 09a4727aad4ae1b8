/** Import rules that keep the layers pointing one way (see docs/ARCHITECTURE.md). */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'shared-is-isomorphic',
      severity: 'error',
      from: { path: '^src/shared' },
      to: { path: '^src/(server|web)' },
    },
    { name: 'web-never-imports-server', severity: 'error', from: { path: '^src/web' }, to: { path: '^src/server' } },
    {
      name: 'platform-has-no-business-rules',
      severity: 'error',
      from: { path: '^src/server/platform' },
      to: { path: '^src/server/(modules|http|cli|compose)' },
    },
    {
      name: 'modules-below-http-cli',
      comment:
        'Modules do not depend on the HTTP app, CLI or composition root; only *.routes.ts may use the http route helpers.',
      severity: 'error',
      from: { path: '^src/server/modules', pathNot: '\\.routes\\.ts$' },
      to: { path: '^src/server/(http|cli|compose)' },
    },
    {
      name: 'modules-through-index',
      comment: 'A module reaches another module only through its index.ts.',
      severity: 'error',
      from: { path: '^src/server/modules/([^/]+)/' },
      to: { path: '^src/server/modules/([^/]+)/', pathNot: ['^src/server/modules/$1/', 'index\\.ts$'] },
    },
    {
      name: 'no-kysely-in-services',
      comment:
        'Services run no SQL: queries live in the module repositories (a service may hold the Store/Db type to open a transaction and hand it on).',
      severity: 'error',
      from: { path: '\\.service\\.ts$' },
      to: { path: 'node_modules/kysely' },
    },
    {
      name: 'sql-only-in-repositories',
      comment:
        'Only *.repository.ts, platform/db, migrations and tests import kysely (the query builder, sql``). Calls on the builder through the Store/Db types are checked by scripts/check-repositories.mjs.',
      severity: 'error',
      from: {
        path: '^(src|bench|packages)/',
        pathNot: ['\\.repository\\.ts$', '^src/server/platform/db/', '\\.test\\.ts$', '\\.service\\.ts$'],
      },
      to: { path: 'node_modules/kysely' },
    },
    {
      name: 'src-never-imports-tests-or-bench',
      comment: 'The product does not depend on its tests or benchmarks (tests next to the code may use test helpers).',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'services-without-fastify',
      comment: 'Services and repositories never import Fastify.',
      severity: 'error',
      from: { path: '^src/server/modules/.*\\.(service|repository)\\.ts$' },
      to: { path: 'node_modules/fastify' },
    },
    {
      name: 'sigma-package-stands-alone',
      comment:
        'The Sigma engine (packages/sigma: library, tests, benchmark) imports only its own files, Node built-ins and its npm dependencies: never src/, test/ or bench/.',
      severity: 'error',
      from: { path: '^packages/sigma/' },
      to: { pathNot: ['^packages/sigma/', '(^|/)node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'sigma-through-its-entry',
      comment:
        "The server, CLI and tests use the Sigma engine only as '@tocsin/sigma' (packages/sigma/src/index.ts), never a file of it.",
      severity: 'error',
      from: { path: '^(src|test)/' },
      to: { path: '^packages/sigma/', pathNot: '^packages/sigma/src/index\\.ts$' },
    },
    {
      name: 'bench-sigma-through-its-entry',
      comment:
        "bench/ uses the Sigma engine only as '@tocsin/sigma'; besides, bench:detect reuses the package's benchmark workload (its Sysmon event generator), which is not part of the library.",
      severity: 'error',
      from: { path: '^bench/' },
      to: {
        path: '^packages/sigma/',
        pathNot: ['^packages/sigma/src/index\\.ts$', '^packages/sigma/bench/(event-set|sysmon-events)\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^packages/[^/]+/dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
