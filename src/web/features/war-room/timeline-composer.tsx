/** Write a note or decision to the timeline, or a correction of an earlier entry (entries are never edited). */
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { Alert, Button, Group, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../app/types.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useAppendTimeline } from './war-room-api.js';

interface Props {
  incidentKey: string;
  correcting: TimelineEntry | null;
  onCancelCorrection: () => void;
}

export function TimelineComposer({ incidentKey, correcting, onCancelCorrection }: Props) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'note' | 'decision'>('note');
  const [text, setText] = useState('');
  const append = useAppendTimeline(incidentKey);

  const send = () => {
    if (!text.trim() || append.isPending) return;
    const body = correcting
      ? { text: text.trim(), kind: 'correction' as const, correctsId: correcting.id }
      : { text: text.trim(), kind };
    append.mutate(body, {
      onSuccess: () => {
        setText('');
        if (correcting) onCancelCorrection();
      },
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    }
  };

  return (
    <form onSubmit={submit} data-testid="timeline-composer">
      <Stack gap="xs">
        {correcting ? (
          <Alert color="orange" variant="light" p="xs" data-testid="composer-correcting">
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm" truncate>
                {t('timeline.correcting', { seq: correcting.seq })}: {correcting.text}
              </Text>
              <Button size="compact-xs" variant="subtle" onClick={onCancelCorrection}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Alert>
        ) : (
          <SegmentedControl
            size="xs"
            value={kind}
            onChange={(v) => setKind(v as 'note' | 'decision')}
            data={[
              { value: 'note', label: t('timelineKind.note') },
              { value: 'decision', label: t('timelineKind.decision') },
            ]}
            data-testid="composer-kind"
            style={{ alignSelf: 'flex-start' }}
          />
        )}
        <Textarea
          placeholder={correcting ? t('timeline.correctionPlaceholder') : t('timeline.placeholder')}
          aria-label={t('timeline.placeholder')}
          autosize
          minRows={2}
          maxRows={10}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          data-testid="composer-text"
        />
        <ProblemAlert error={append.error} />
        <Group justify="space-between">
          <Text size="xs" c="dimmed" visibleFrom="sm">
            {t('timeline.shortcut')}
          </Text>
          <Button
            type="submit"
            size="xs"
            disabled={!text.trim()}
            loading={append.isPending}
            data-testid="composer-submit"
          >
            {correcting ? t('timeline.submitCorrection') : t('timeline.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
