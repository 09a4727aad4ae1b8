/** The live timeline, newest first, with the composer on top. */
import { useMemo, useRef, useState } from 'react';
import { Card, Group, Loader, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import type { TimelineEntry } from '../../app/types.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { TimelineComposer } from './timeline-composer.js';
import { useEntryWords } from './entry-text.js';
import { TimelineEntryView } from './timeline-entry.js';
import { useTimeline } from './war-room-api.js';

export function TimelineCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canWrite = useCan('timeline.write');
  const timeline = useTimeline(incidentKey);
  const wordsOf = useEntryWords(incidentKey);
  const [correcting, setCorrecting] = useState<TimelineEntry | null>(null);
  const composerRef = useRef<HTMLDivElement>(null);
  const startCorrection = (entry: TimelineEntry) => {
    setCorrecting(entry);
    composerRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    composerRef.current?.querySelector('textarea')?.focus({ preventScroll: true });
  };

  const { newestFirst, byId, corrections } = useMemo(() => {
    const all = timeline.data?.pages.flatMap((p) => p.items) ?? [];
    const byId = new Map(all.map((e) => [e.id, e]));
    const corrections = new Map<string, TimelineEntry[]>();
    for (const e of all) {
      if (e.correctsId) corrections.set(e.correctsId, [...(corrections.get(e.correctsId) ?? []), e]);
    }
    return { newestFirst: [...all].sort((a, b) => b.seq - a.seq), byId, corrections };
  }, [timeline.data]);

  return (
    <Card withBorder radius="md" data-testid="timeline">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('timeline.title')}</Title>
          {/* fetching again, or the older pages still coming (the first load shows below) */}
          {!timeline.isPending && (timeline.isFetching || timeline.hasNextPage) && <Loader size="xs" />}
        </Group>
        {canWrite && (
          <div ref={composerRef}>
            <TimelineComposer
              incidentKey={incidentKey}
              correcting={correcting}
              onCancelCorrection={() => setCorrecting(null)}
            />
          </div>
        )}
        <QueryView query={timeline} keepOnError compact>
          {() => (
            <>
              {newestFirst.length === 0 && <EmptyState compact>{t('timeline.empty')}</EmptyState>}
              <Stack gap="xs" data-testid="timeline-entries">
                {newestFirst.map((e) => (
                  <TimelineEntryView
                    key={e.id}
                    entry={e}
                    words={wordsOf(e)}
                    corrects={e.correctsId ? byId.get(e.correctsId) : undefined}
                    correctedBy={corrections.get(e.id) ?? []}
                    onCorrect={canWrite ? startCorrection : null}
                  />
                ))}
              </Stack>
            </>
          )}
        </QueryView>
      </Stack>
    </Card>
  );
}
