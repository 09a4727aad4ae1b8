/** Mark an alert false positive with a reason; optionally suppress the rule's future alerts (for one entity, or any). */
import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, Modal, Select, Stack, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Alert } from '../../app/types.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { entityList } from './alert-entities.js';
import { useMarkFalsePositive } from './alerts-api.js';

const ANY = '*';
const DAY = 24 * 3600_000;

export function FalsePositiveModal({ alert, onClose }: { alert: Alert; onClose: () => void }) {
  const { t } = useTranslation();
  const mark = useMarkFalsePositive();
  const entities = entityList(alert.entities);
  const [reason, setReason] = useState('');
  const [suppress, setSuppress] = useState(false);
  const [entity, setEntity] = useState<string>(entities[0] ? `${entities[0].kind}:${entities[0].value}` : ANY);
  const [days, setDays] = useState<string>('30');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return;
    const chosen = entities.find((x) => `${x.kind}:${x.value}` === entity) ?? null;
    mark.mutate(
      {
        id: alert.id,
        reason: reason.trim(),
        suppress: suppress
          ? {
              entity: chosen,
              expiresAt: days === 'never' ? undefined : new Date(Date.now() + Number(days) * DAY).toISOString(),
            }
          : undefined,
      },
      { onSuccess: onClose },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('alerts.fp.title')}>
      <form onSubmit={submit} data-testid="fp-form">
        <Stack gap="sm">
          <Textarea
            label={t('alerts.fp.reason')}
            required
            autosize
            minRows={2}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={fieldError(mark.error, 'reason')}
            data-testid="fp-reason"
            data-autofocus
          />
          <Checkbox
            label={t('alerts.fp.suppress')}
            checked={suppress}
            onChange={(e) => setSuppress(e.currentTarget.checked)}
            data-testid="fp-suppress"
          />
          {suppress && (
            <Group grow align="flex-start">
              <Select
                label={t('alerts.fp.entity')}
                allowDeselect={false}
                data={[
                  ...entities.map((x) => ({
                    value: `${x.kind}:${x.value}`,
                    label: `${t(`entityKind.${x.kind}`)} ${x.value}`,
                  })),
                  { value: ANY, label: t('alerts.fp.anyEntity') },
                ]}
                value={entity}
                onChange={(v) => v && setEntity(v)}
                comboboxProps={{ withinPortal: true }}
                data-testid="fp-entity"
              />
              <Select
                label={t('alerts.fp.expires')}
                allowDeselect={false}
                data={[
                  ...['7', '30', '90'].map((d) => ({ value: d, label: t('alerts.fp.days', { count: Number(d) }) })),
                  { value: 'never', label: t('alerts.fp.never') },
                ]}
                value={days}
                onChange={(v) => v && setDays(v)}
                data-testid="fp-expires"
              />
            </Group>
          )}
          <ProblemAlert error={mark.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              color="gray"
              disabled={!reason.trim()}
              loading={mark.isPending}
              data-testid="fp-submit"
            >
              {t('alerts.fp.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
