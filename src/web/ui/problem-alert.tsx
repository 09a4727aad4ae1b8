/** Shows an API problem (title, detail and failing fields) or any other error to the user. */
import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.js';

const KNOWN_STATUSES = [400, 401, 403, 404, 409, 413, 422, 429] as const;
type KnownStatus = (typeof KNOWN_STATUSES)[number];
const isKnown = (s: number): s is KnownStatus => (KNOWN_STATUSES as readonly number[]).includes(s);

/** The server's message for one input field, if the last error named it. */
export function fieldError(error: unknown, ...paths: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  // The server names fields like "body.title" (or a JSON pointer "/title"); compare without that prefix.
  const norm = (path: string) => path.replace(/^\//, '').replace(/\//g, '.').replace(/^(body|query|params)\./, '');
  const hit = error.problem.errors?.find((e) => paths.includes(norm(e.path)));
  return hit?.message;
}

export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  let heading = title ?? t('error.generic');
  let detail: string | undefined;
  let fields: { path: string; message: string }[] = [];
  if (error instanceof ApiError) {
    if (error.status === 0) {
      detail = t('error.network');
    } else {
      // Headings in the reader's language; the server's detail (specific, in English) follows.
      const status = error.status;
      heading =
        title ?? (isKnown(status) ? t(`problem.s${status}`) : status >= 500 ? t('problem.s500') : error.problem.title);
      detail = error.problem.detail && error.problem.detail !== heading ? error.problem.detail : undefined;
      fields = error.problem.errors ?? [];
    }
  } else if (error instanceof Error) {
    detail = error.message;
  }
  return (
    <Alert color="red" variant="light" title={heading} data-testid="problem-alert">
      {detail}
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
