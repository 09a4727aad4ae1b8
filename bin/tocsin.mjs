#!/usr/bin/env node
// Entry of the `tocsin` command: builds what is stale (first run, or after an update), then runs the CLI.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt } from '../scripts/build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`tocsin: Node.js >= 20.19 is required (this is ${process.versions.node})\n`);
  process.exit(1);
}
await ensureBuilt(root, { web: process.argv[2] === 'serve' });
const { main } = await import(pathToFileURL(join(root, 'dist/cli/main.js')).href);
await main(process.argv);
