/** Password hashing (argon2id), random secrets and digests. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const ARGON = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};
let argon = ARGON;

export const hashPassword = (password: string): Promise<string> => hash(password, argon);

/**
 * The test suite's cost (vitest's setup file, test/setup.ts): thousands of test users and sign-ins
 * would spend minutes hashing at the baseline's 19 MiB. A stored hash names its own cost, so verifying
 * is unaffected. Refused outside vitest: a server or the CLI always hashes at the baseline.
 */
export function useTestPasswordHashCost(): void {
  if (!process.env.VITEST) throw new Error('the test hashing cost is for the test suite only');
  argon = { ...ARGON, memoryCost: 1024, timeCost: 1 };
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A URL-safe random secret of `bytes` bytes. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** A throwaway hash verified against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hashPassword(randomToken(16)));
