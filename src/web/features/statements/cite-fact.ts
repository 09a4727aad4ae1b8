/**
 * Citing the incident's fact register in a statement: a confirmed fact is quoted as it stands; a false
 * rumor is answered with its rebuttal, without repeating the rumor's words (the fact check flags a
 * statement that repeats a claim marked false). Unverified claims are not offered: a statement says
 * only what is known.
 */
import type { FactEntry } from '../media/media-api.js';

export const citable = (facts: readonly FactEntry[]): FactEntry[] =>
  facts.filter((f) => f.verdict === 'confirmed' || f.verdict === 'false');

/** The paragraph a citation adds to the body of each language (Markdown). */
export function citationOf(fact: FactEntry): { zh: string; en: string } {
  if (fact.verdict === 'confirmed') return { zh: fact.claim.zh, en: fact.claim.en };
  return {
    zh: `**辟谣：**${fact.rebuttal.zh}`,
    en: `**Fact check:** ${fact.rebuttal.en}`,
  };
}

/** `body` with `paragraph` appended as a paragraph of its own. */
export const appendParagraph = (body: string, paragraph: string): string =>
  body.trim() ? `${body.replace(/\s+$/, '')}\n\n${paragraph}` : paragraph;
