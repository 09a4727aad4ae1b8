/**
 * One way to show what a query brings, on every page and card: a spinner while it first loads, its error
 * in the reader's words (ProblemAlert: the problem's code worded from the catalogs), else the content, and
 * `EmptyState` where a list has nothing to show.
 */
import type { ReactNode } from 'react';
import { Center, Loader, Text } from '@mantine/core';
import { ProblemAlert } from './problem-alert.js';

/** What QueryView reads of a TanStack query (any useQuery or useInfiniteQuery result). */
interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
}

export function QueryView<T>({
  query,
  keepOnError = false,
  compact = false,
  children,
}: {
  query: QueryLike<T>;
  /**
   * For a list: when fetching it again fails, the error shows above what was loaded before. Without it
   * (a record's page) the error takes the content's place: the record may be gone or no longer ours to see.
   */
  keepOnError?: boolean;
  /** Inside a card: a small spinner, not a page's. */
  compact?: boolean;
  children: (data: T) => ReactNode;
}) {
  const { data, error } = query;
  if (error && (!keepOnError || data === undefined)) return <ProblemAlert error={error} />;
  if (data === undefined) {
    if (!query.isPending) return null;
    return compact ? (
      <Loader size="sm" />
    ) : (
      <Center p="xl">
        <Loader />
      </Center>
    );
  }
  return (
    <>
      {error ? <ProblemAlert error={error} /> : null}
      {children(data)}
    </>
  );
}

/** What a list says when it has nothing to show (a page's list, or `compact` in a card). */
export function EmptyState({
  children,
  compact = false,
  testId,
}: {
  children: ReactNode;
  compact?: boolean;
  testId?: string;
}) {
  return compact ? (
    <Text size="sm" c="dimmed" data-testid={testId}>
      {children}
    </Text>
  ) : (
    <Text c="dimmed" ta="center" p="xl" data-testid={testId}>
      {children}
    </Text>
  );
}
