/** One timeline entry: kind badge, author, time, text (always as text), correction links. */
import { Badge, Button, Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TimelineKind } from '../../../shared/enums.js';
import type { TimelineEntry } from '../../app/types.js';
import { formatDateTime } from '../../ui/time.js';
import type { EntryWords } from './entry-text.js';

const KIND_COLOUR: Record<TimelineKind, string> = {
  system: 'gray',
  status_change: 'blue',
  note: 'teal',
  decision: 'violet',
  correction: 'orange',
};

interface Props {
  entry: TimelineEntry;
  words: EntryWords;
  corrects: TimelineEntry | undefined;
  correctedBy: TimelineEntry[];
  onCorrect: ((entry: TimelineEntry) => void) | null;
}

export function TimelineEntryView({ entry, words, corrects, correctedBy, onCorrect }: Props) {
  const { t, i18n } = useTranslation();
  const human = entry.kind === 'note' || entry.kind === 'decision' || entry.kind === 'correction';
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      id={`entry-${entry.seq}`}
      data-testid="timeline-entry"
      data-seq={entry.seq}
      data-kind={entry.kind}
      bg={entry.kind === 'decision' ? 'violet.0' : undefined}
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="xs" wrap="wrap">
          <Badge size="sm" color={KIND_COLOUR[entry.kind]} variant="light" data-testid="timeline-kind">
            {t(`timelineKind.${entry.kind}`)}
          </Badge>
          <Text size="sm" fw={500}>
            {entry.actor?.name ?? t('timeline.system')}
          </Text>
          <Text size="xs" c="dimmed">
            #{entry.seq} · <time dateTime={entry.at}>{formatDateTime(entry.at, i18n.language, true)}</time>
          </Text>
        </Group>
        {onCorrect && human && (
          <Button size="compact-xs" variant="subtle" onClick={() => onCorrect(entry)} data-testid="entry-correct">
            {t('timeline.correct')}
          </Button>
        )}
      </Group>
      {words.headline && (
        <Text size="sm" mt={4} fw={500} className="tocsin-break" data-testid="timeline-headline">
          {words.headline}
        </Text>
      )}
      {corrects && (
        <Text size="xs" c="orange.8" mt={4}>
          {t('timeline.corrects', { seq: corrects.seq })}
        </Text>
      )}
      {words.body && (
        <Text
          size="sm"
          mt={4}
          className="tocsin-pre"
          c={correctedBy.length > 0 ? 'dimmed' : undefined}
          data-testid="timeline-text"
        >
          {words.body}
        </Text>
      )}
      {correctedBy.length > 0 && (
        <Text size="xs" c="orange.8" mt={4} data-testid="timeline-corrected">
          {t('timeline.correctedBy', { seqs: correctedBy.map((c) => `#${c.seq}`).join(', ') })}
        </Text>
      )}
    </Paper>
  );
}
