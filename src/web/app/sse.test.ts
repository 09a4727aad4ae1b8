import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { qk } from './query-keys.js';
import { applyStreamEvent } from './sse.js';
import type { Incident, Page, StreamEvent } from './types.js';

const incident = (key: string, lastActivityAt: string) => ({ key, lastActivityAt }) as Incident;

describe('live updates of the incident list', () => {
  it('a timeline entry moves the incident\'s "last update" in loaded lists', () => {
    const qc = new QueryClient();
    const listKey = qk.incidentList({});
    qc.setQueryData<InfiniteData<Page<Incident>>>(listKey, {
      pages: [
        {
          items: [
            incident('INC-2026-0001', '2026-11-28T02:00:00.000Z'),
            incident('INC-2026-0002', '2026-11-28T02:00:00.000Z'),
          ],
          next: null,
        },
      ],
      pageParams: [undefined],
    });
    const entry = {
      id: 'e1',
      incidentKey: 'INC-2026-0001',
      seq: 3,
      at: '2026-11-28T02:40:00.000Z',
      actor: null,
      kind: 'note',
      text: 'x',
    };
    applyStreamEvent(qc, { event: 'timeline.appended', incidentKey: 'INC-2026-0001', entry } as unknown as StreamEvent);
    const items = qc.getQueryData<InfiniteData<Page<Incident>>>(listKey)!.pages[0]!.items;
    expect(items.map((i) => i.lastActivityAt)).toEqual(['2026-11-28T02:40:00.000Z', '2026-11-28T02:00:00.000Z']);
  });
});
