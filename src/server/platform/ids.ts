/** Identifier and clock helpers. */
import { v7 } from 'uuid';

/** A new UUIDv7 (time-ordered). */
export const newId = (): string => v7();

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** Epoch ms to ISO-8601 UTC, null-safe. */
export function iso(ms: number): string;
export function iso(ms: number | null | undefined): string | null;
export function iso(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(Number(ms)).toISOString();
}
