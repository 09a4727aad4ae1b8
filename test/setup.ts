/**
 * Runs before every test file (vitest's setupFiles): the cheap password-hashing cost of the test suite
 * (platform/crypto.ts says why). Child processes the tests start (servers, the CLI) hash at the baseline.
 */
import { useTestPasswordHashCost } from '../src/server/platform/crypto.js';

useTestPasswordHashCost();
