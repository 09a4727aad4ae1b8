/** Buttons for the legal next statuses only; each asks for an optional note before moving. */
import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ENDED_STATUSES, TRANSITIONS, type Status } from '../../../shared/enums.js';
import type { Incident } from '../../app/types.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useTransition } from './war-room-api.js';

export function TransitionButtons({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<Status | null>(null);
  const [note, setNote] = useState('');
  const transition = useTransition(incident.key);
  const label = (to: Status) =>
    ENDED_STATUSES.includes(incident.status) && to === 'acknowledged' ? t('transition.reopen') : t(`transition.${to}`);

  const close = () => {
    setTarget(null);
    setNote('');
    transition.reset();
  };
  const confirm = () => {
    if (!target) return;
    transition.mutate({ to: target, note: note.trim() || undefined }, { onSuccess: close });
  };

  return (
    <>
      <Group gap="xs" data-testid="transitions">
        {TRANSITIONS[incident.status].map((to) => (
          <Button
            key={to}
            size="xs"
            variant={to === 'false_positive' ? 'default' : 'filled'}
            onClick={() => setTarget(to)}
            data-testid={`transition-${to}`}
          >
            {label(to)}
          </Button>
        ))}
      </Group>
      <Modal opened={target !== null} onClose={close} title={target ? label(target) : ''}>
        <Stack>
          {target && (
            <Text size="sm">
              {t('transition.confirm', { from: t(`status.${incident.status}`), to: t(`status.${target}`) })}
            </Text>
          )}
          <Textarea
            label={t('transition.note')}
            autosize
            minRows={2}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            data-testid="transition-note"
          />
          <ProblemAlert error={transition.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button onClick={confirm} loading={transition.isPending} data-testid="transition-confirm">
              {t('common.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
