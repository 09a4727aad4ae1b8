/**
 * Whether a text repeats a claim of the register: both are normalized the same way (NFKC, so full-width
 * letters and digits read as their ASCII forms; case-folded; runs of whitespace as one space) and the
 * claim must be a substring of the text. Claims shorter than 4 characters are never matched: a
 * two-character claim would flag almost any statement.
 */

const MIN_CLAIM_CHARS = 4;

/** The form texts are compared in. */
export function normalizeClaim(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Whether `text` (normalized already) repeats `claim` (as written). */
export function repeatsClaim(normalizedText: string, claim: string): boolean {
  const c = normalizeClaim(claim);
  return [...c].length >= MIN_CLAIM_CHARS && normalizedText.includes(c);
}
