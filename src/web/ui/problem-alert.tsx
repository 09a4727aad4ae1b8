/** Shows an API problem (title, detail and failing fields) or any other error to the user. */
import { Alert, List, Text } from '@mantine/core';
import type { i18n as I18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.js';
import { i18n as globalI18n } from '../i18n/index.js';
import { fieldText, problemText, type Words } from './problem-text.js';

const KNOWN_STATUSES = [400, 401, 403, 404, 409, 413, 422, 429] as const;
type KnownStatus = (typeof KNOWN_STATUSES)[number];
const isKnown = (s: number): s is KnownStatus => (KNOWN_STATUSES as readonly number[]).includes(s);

/** The typed i18next instance as the untyped lookups of problem-text.ts (keys come from the server). */
const wordsOf = (i: I18n): Words => ({
  t: (key, options) => String(i.t(key as never, options as never)),
  exists: (key) => i.exists(key),
});

/** The message for one input field, in the reader's language, if the last error named it. */
export function fieldError(error: unknown, ...paths: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  // The server names fields like "body.title" (or a JSON pointer "/title"); compare without that prefix.
  const norm = (path: string) =>
    path
      .replace(/^\//, '')
      .replace(/\//g, '.')
      .replace(/^(body|query|params)\./, '');
  const hit = error.problem.errors?.find((e) => paths.includes(norm(e.path)));
  return hit ? fieldText(wordsOf(globalI18n), hit) : undefined;
}

export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  let heading = title ?? t('error.generic');
  let detail: string | undefined;
  let original: string | undefined;
  let fields: { path: string; message: string }[] = [];
  if (error instanceof ApiError) {
    if (error.status === 0) {
      detail = t('error.network');
    } else {
      // Heading and detail in the reader's language: the detail from the problem's code (the server's
      // English detail only for a code this console does not know).
      const status = error.status;
      const words = wordsOf(i18n);
      heading =
        title ?? (isKnown(status) ? t(`problem.s${status}`) : status >= 500 ? t('problem.s500') : error.problem.title);
      const worded = problemText(words, error.problem, i18n.language);
      detail = worded.text && worded.text !== heading ? worded.text : undefined;
      original = worded.original;
      fields = (error.problem.errors ?? []).map((f) => ({ path: f.path, message: fieldText(words, f) }));
    }
  } else if (error instanceof Error) {
    detail = error.message;
  }
  return (
    <Alert color="red" variant="light" title={heading} data-testid="problem-alert">
      {detail}
      {original && (
        <Text size="xs" c="dimmed" mt={4} lang="en" data-testid="problem-original">
          {original}
        </Text>
      )}
      {fields.length > 0 && (
        <List size="sm" mt={detail ? 'xs' : 0}>
          {fields.map((f) => (
            <List.Item key={`${f.path}:${f.message}`}>
              {f.path ? `${f.path}: ` : ''}
              {f.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
