/** Files and folders shipped with Tocsin (`rules/...`, `plans/`), found from the source or the dist layout. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shipped file or folder `parts` names, looked for upwards from this module; null when absent. */
export function bundledPath(...parts: string[]): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const p = path.join(dir, ...parts);
    if (fs.existsSync(p)) return p;
    dir = path.dirname(dir);
  }
  return null;
}
