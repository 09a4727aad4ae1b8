/**
 * What a new password must be: long enough, not the account's email or name, not the password it
 * replaces, and not easy to guess (zxcvbn-ts with its common-password and English dictionaries;
 * score 3 of 4 or better, judged with the email and name as known words). No composition rules
 * (NIST SP 800-63B).
 */
import { MIN_PASSWORD_LENGTH } from '../../../shared/auth-schemas.js';

type Checker = (password: string, userInputs: string[]) => { score: number; feedback: { warning: string | null } };
let checker: Promise<Checker> | undefined;

/** The dictionaries are a few MB: loaded on the first check, not at start. */
function loadChecker(): Promise<Checker> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const factory = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
    return (password: string, userInputs: string[]) =>
      factory.check(password, userInputs) as unknown as ReturnType<Checker>;
  })();
  return checker;
}

/** Reasons `password` is refused (empty when it is fine). `strength: false` checks all but the guessability. */
export async function passwordProblems(
  password: string,
  account: { email: string; name?: string; current?: string },
  opts: { strength?: boolean } = {},
): Promise<string[]> {
  const problems: string[] = [];
  const lower = password.trim().toLowerCase();
  const email = account.email.trim().toLowerCase();
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (lower === email || lower === email.split('@')[0]) problems.push('must not be your email address');
  else if (account.name && lower === account.name.trim().toLowerCase()) problems.push('must not be your name');
  if (account.current !== undefined && password === account.current)
    problems.push('must differ from the current password');
  if (problems.length === 0 && opts.strength !== false) {
    const check = await loadChecker();
    const r = check(password, [email, ...email.split(/[@.]/), account.name ?? ''].filter(Boolean));
    if (r.score < 3)
      problems.push(
        `too easy to guess${r.feedback.warning ? ` (${r.feedback.warning.replace(/\.$/, '').toLowerCase()})` : ''}; use a longer phrase of unrelated words`,
      );
  }
  return problems;
}
