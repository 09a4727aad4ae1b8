/** Reading the facts of an evaluation from JSON text: one line naming the first field at fault. */
import { ObligationFacts } from '../../../shared/obligation-schemas.js';

export type FactsResult = { facts: ObligationFacts } | { error: string };

export function parseFacts(text: string): FactsResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { error: `not valid JSON: ${(err as Error).message.split('\n')[0]}` };
  }
  const r = ObligationFacts.safeParse(data);
  if (r.success) return { facts: r.data };
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => (field ? `${field}.${k}` : k)) : [];
  if (keys.length) return { error: `${keys.join(', ')}: unknown fact` };
  const expected =
    issue.code === 'invalid_format' && issue.format === 'datetime'
      ? 'expected an ISO-8601 time with its offset, e.g. 2026-03-02T09:30:00+08:00'
      : issue.message;
  return { error: `${field || 'facts'}: ${expected}` };
}
