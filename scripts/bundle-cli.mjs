// Bundles the compiled server (dist/src, from tsc) into dist/cli/: the `tocsin` command's entry and the
// worker threads it starts, as a few files instead of ~1,400 modules. Node spent most of a store
// command's start (1.7-1.9 s for `tocsin users unlock`, ~1.1 s of it importing) finding, reading and
// compiling modules one by one; every command, and every `tocsin serve`, paid it.
//
// Inlined: our code, @tocsin/sigma, and the pure-ESM libraries with the most modules (kysely: 263, zod:
// 95), which read no files of their own. Every other package stays an import from node_modules, as
// before: some find files beside their code (fonts, transports, native addons), which a bundle breaks.
import fs from 'node:fs';
import path from 'node:path';

/** Packages compiled into the bundle; any other bare import stays external. */
const INLINE = new Set(['@tocsin/sigma', 'kysely', 'zod']);

const packageName = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** Entry points (dist/cli/<name>.js): the worker threads are found beside the code that starts them. */
const ENTRIES = {
  main: 'dist/src/server/cli/main.js',
  'engine-worker': 'dist/src/server/modules/detection/engine-worker.js',
  'activity-writer.worker': 'dist/src/server/modules/scoping/activity-writer.worker.js',
};

export async function bundleCli(root) {
  const esbuild = await import('esbuild');
  const outdir = path.join(root, 'dist', 'cli');
  fs.rmSync(outdir, { recursive: true, force: true }); // chunks are named by content: none of the last build's stays
  const { metafile } = await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, path.join(root, v)])),
    outdir,
    bundle: true,
    splitting: true, // commands stay imported on demand (`--help` loads none of the server)
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked', // chained to tsc's maps: `node --enable-source-maps` shows the TypeScript lines
    logLevel: 'error',
    metafile: true,
    plugins: [
      {
        name: 'external-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('node:') || INLINE.has(packageName(args.path))
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  // Which modules each output file holds (test/cli's help test checks what a command loads with it).
  const contents = Object.fromEntries(
    Object.entries(metafile.outputs)
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, out]) => [path.basename(file), Object.keys(out.inputs)]),
  );
  fs.writeFileSync(path.join(outdir, 'contents.json'), JSON.stringify(contents));
}
