/**
 * The SigmaHQ rule repository the corpus tests read (rules, regression data, tests/thor.yml): third-party
 * data under the Detection Rule License 1.1, used where it lies and never copied into this repository.
 * TOCSIN_SIGMA_DIR names it; by default ../shared/sigma beside the project root.
 *
 * Where it is missing, a corpus test is skipped with a one-line message, except in CI (`CI` set):
 * there it runs and fails, saying what is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SIGMA_DIR =
  process.env.TOCSIN_SIGMA_DIR ?? fileURLToPath(new URL('../../../../shared/sigma', import.meta.url));

export interface Corpus {
  dir: string;
  /** Whether the suite runs: the data is there, or CI requires it. */
  runs: boolean;
  /** Fails (in CI) when the data is missing; call it first in the suite. */
  require(): void;
}

/** The SigmaHQ data `what` needs (`needs`: paths inside the repository). */
export function sigmahqCorpus(what: string, needs: string[]): Corpus {
  const missing = needs.filter((p) => !fs.existsSync(path.join(SIGMA_DIR, p)));
  const ci = Boolean(process.env.CI);
  const where = `${missing.map((p) => path.join(SIGMA_DIR, p)).join(', ')}`;
  if (missing.length && !ci)
    console.info(
      `skipping ${what}: no SigmaHQ data at ${where}; set TOCSIN_SIGMA_DIR to a SigmaHQ sigma checkout to run them`,
    );
  return {
    dir: SIGMA_DIR,
    runs: !missing.length || ci,
    require() {
      if (missing.length)
        throw new Error(
          `${what} need the SigmaHQ data and CI is set, but ${where} ${missing.length > 1 ? 'are' : 'is'} missing: set TOCSIN_SIGMA_DIR to a SigmaHQ sigma checkout (rules/, regression_data/, tests/thor.yml)`,
        );
    },
  };
}
