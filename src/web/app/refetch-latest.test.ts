import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { refetchLatest } from './refetch-latest.js';

/** A query function whose answers the test releases one at a time; each answers the store as it was when asked. */
function controlledStore() {
  let value = 'before';
  const waiting: (() => void)[] = [];
  let calls = 0;
  return {
    fn: () => {
      calls++;
      const seen = value;
      return new Promise<string>((resolve) => waiting.push(() => resolve(seen)));
    },
    change: (v: string) => (value = v),
    answerNext: async () => {
      for (let i = 0; !waiting.length; i++) {
        if (i > 100) throw new Error('no fetch was asked for');
        await new Promise((r) => setImmediate(r));
      }
      waiting.shift()!();
      await new Promise((r) => setImmediate(r));
    },
    get calls() {
      return calls;
    },
  };
}

describe('refetching after a change heard on the stream', () => {
  it('a change heard while a refetch is under way is fetched again once that refetch ends', async () => {
    const qc = new QueryClient();
    const store = controlledStore();
    const observer = new QueryObserver(qc, { queryKey: ['health'], queryFn: store.fn });
    const unsubscribe = observer.subscribe(() => {});
    await store.answerNext();
    expect(qc.getQueryData(['health'])).toBe('before');

    // a mutation's refetch starts and reads the store before the change
    void qc.invalidateQueries({ queryKey: ['health'] });
    await new Promise((r) => setImmediate(r));
    store.change('after');
    refetchLatest(qc, ['health']);
    await store.answerNext(); // the refetch under way answers the old state
    expect(qc.getQueryData(['health'])).toBe('before');
    await store.answerNext(); // and one more follows
    expect(qc.getQueryData(['health'])).toBe('after');
    expect(store.calls).toBe(3);
    unsubscribe();
  });

  it('with no refetch under way it refetches once, without a follow-up', async () => {
    const qc = new QueryClient();
    const store = controlledStore();
    const observer = new QueryObserver(qc, { queryKey: ['health'], queryFn: store.fn });
    const unsubscribe = observer.subscribe(() => {});
    await store.answerNext();
    store.change('after');
    refetchLatest(qc, ['health']);
    await store.answerNext();
    expect(qc.getQueryData(['health'])).toBe('after');
    await new Promise((r) => setImmediate(r));
    expect(store.calls).toBe(2);
    unsubscribe();
  });
});
