// Builds the workspace packages and the server (tsc), and the console (vite), when their sources are newer
// than the last build.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle-cli.mjs';

function newest(root, entries) {
  let max = 0;
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    else max = Math.max(max, st.mtimeMs);
  };
  for (const e of entries) walk(path.join(root, e));
  return max;
}

const stampTime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

/** Marks a build done as of `started`: a source saved while it ran still counts as newer. */
function stamp(file, started) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, new Date(started).toISOString());
  fs.utimesSync(file, started / 1000, started / 1000);
}

function run(root, bin, args, label) {
  process.stderr.write(`tocsin: building ${label}…\n`);
  execFileSync(process.execPath, [path.join(root, 'node_modules', bin), ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Workspace packages the server imports, built (tsc -p <dir>/tsconfig.build.json into <dir>/dist) before it, in this order. */
const PACKAGES = [{ dir: 'packages/sigma', name: 'sigma', output: 'dist/index.js' }];

/** Builds what is stale. `web: false` skips the console (CLI commands do not need it). */
export async function ensureBuilt(root, { web = true, force = false } = {}) {
  const common = ['src/shared', 'package.json', 'tsconfig.json'];
  for (const pkg of PACKAGES) {
    const stampFile = path.join(root, 'dist', `.${pkg.name}-stamp`);
    const inputs = ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => `${pkg.dir}/${f}`);
    if (force || !fs.existsSync(path.join(root, pkg.dir, pkg.output)) || newest(root, inputs) > stampTime(stampFile)) {
      const started = Date.now();
      run(root, 'typescript/bin/tsc', ['-p', `${pkg.dir}/tsconfig.build.json`], `@tocsin/${pkg.name}`);
      stamp(stampFile, started);
    }
  }
  const serverStamp = path.join(root, 'dist', '.server-stamp');
  const serverInputs = [
    ...common,
    'src/server',
    'src/site', // the public status site, compiled with the server
    'migrations',
    'tsconfig.build.json',
    'scripts/bundle-cli.mjs',
    ...PACKAGES.map((p) => `${p.dir}/src`),
  ];
  if (
    force ||
    !fs.existsSync(path.join(root, 'dist', 'cli', 'main.js')) ||
    newest(root, serverInputs) > stampTime(serverStamp)
  ) {
    const started = Date.now();
    run(root, 'typescript/bin/tsc', ['-p', 'tsconfig.build.json'], 'server');
    await bundleCli(root);
    stamp(serverStamp, started);
  }
  const webStamp = path.join(root, 'dist', '.web-stamp');
  if (
    web &&
    fs.existsSync(path.join(root, 'src/web')) &&
    (force || newest(root, [...common, 'src/web', 'vite.config.ts']) > stampTime(webStamp))
  ) {
    const started = Date.now();
    run(root, 'vite/bin/vite.js', ['build', '--logLevel', 'warn'], 'web console');
    stamp(webStamp, started);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
  await ensureBuilt(root, { force: process.argv.includes('--force'), web: !process.argv.includes('--server-only') });
}
