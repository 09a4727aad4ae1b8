/**
 * Refetches a family of queries after a change heard on the stream, without cancelling a refetch
 * already under way (alerts come in bursts: cancelling would restart the same fetch again and again)
 * and without losing the change: a fetch under way may have been answered before the change was
 * stored, so when the family's fetches have ended, one more follows.
 */
import { hashKey, partialMatchKey, type QueryClient, type QueryKey } from '@tanstack/react-query';

interface FollowUps {
  /** Families that changed while one of their fetches was under way, by key hash. */
  pending: Map<string, QueryKey>;
}

const byClient = new WeakMap<QueryClient, FollowUps>();

function followUps(qc: QueryClient): FollowUps {
  const f = byClient.get(qc);
  if (f) return f;
  const state: FollowUps = { pending: new Map() };
  byClient.set(qc, state);
  qc.getQueryCache().subscribe((ev) => {
    if (!state.pending.size || ev.type !== 'updated') return;
    if (ev.action.type !== 'success' && ev.action.type !== 'error') return;
    for (const [hash, key] of state.pending) {
      if (!partialMatchKey(ev.query.queryKey, key) || qc.isFetching({ queryKey: key }) > 0) continue;
      state.pending.delete(hash);
      void qc.invalidateQueries({ queryKey: key }, { cancelRefetch: false });
    }
  });
  return state;
}

/** Marks `queryKey`'s queries stale and refetches the shown ones, once more after any fetch under way. */
export function refetchLatest(qc: QueryClient, queryKey: QueryKey): void {
  if (qc.isFetching({ queryKey }) > 0) followUps(qc).pending.set(hashKey(queryKey), queryKey);
  void qc.invalidateQueries({ queryKey }, { cancelRefetch: false });
}
