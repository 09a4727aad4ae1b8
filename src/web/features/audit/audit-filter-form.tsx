/** The audit page's filters: a date range (days in the viewer's zone), the actor, the action, the target. */
import { useState, type FormEvent } from 'react';
import { Button, Group, Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SYSTEM_ACTOR_FILTER } from '../../../shared/audit-actions.js';
import { dayRange } from '../../ui/day-range.js';
import { displayTimeZone } from '../../ui/time.js';
import { useUsers } from '../users/users-api.js';
import type { AuditFilters } from './audit-api.js';
import { useAuditNames } from './audit-names.js';

interface Draft {
  fromDay: string;
  toDay: string;
  actorId: string | null;
  action: string | null;
  targetType: string | null;
  targetId: string;
}

const EMPTY: Draft = { fromDay: '', toDay: '', actorId: null, action: null, targetType: null, targetId: '' };

export function AuditFilterForm({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const { t } = useTranslation();
  const names = useAuditNames();
  const users = useUsers();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [rangeError, setRangeError] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const range = dayRange(draft.fromDay, draft.toDay);
    setRangeError(range.empty);
    if (range.empty) return;
    const filters: AuditFilters = {
      from: range.from,
      to: range.to,
      actorId: draft.actorId ?? undefined,
      action: draft.action ?? undefined,
      targetType: draft.targetType ?? undefined,
      targetId: draft.targetId.trim() || undefined,
    };
    onApply(Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as AuditFilters);
  };
  const clear = () => {
    setDraft(EMPTY);
    setRangeError(false);
    onApply({});
  };

  const actors = [
    { value: SYSTEM_ACTOR_FILTER, label: t('audit.systemActor') },
    ...(users.data ?? []).map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` })),
  ];

  return (
    <form onSubmit={apply} data-testid="audit-filters">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        <TextInput
          type="date"
          label={t('audit.from')}
          value={draft.fromDay}
          onChange={(e) => set('fromDay', e.currentTarget.value)}
          error={rangeError ? t('audit.badRange') : undefined}
          data-testid="audit-from"
        />
        <TextInput
          type="date"
          label={t('audit.to')}
          value={draft.toDay}
          onChange={(e) => set('toDay', e.currentTarget.value)}
          data-testid="audit-to"
        />
        <Select
          label={t('audit.actor')}
          placeholder={t('audit.anyActor')}
          data={actors}
          value={draft.actorId}
          onChange={(v) => set('actorId', v)}
          searchable
          clearable
          data-testid="audit-actor"
        />
        <Select
          label={t('audit.action')}
          placeholder={t('audit.anyAction')}
          data={names.actionOptions()}
          value={draft.action}
          onChange={(v) => set('action', v)}
          searchable
          clearable
          renderOption={({ option }) => (
            <div>
              <Text size="sm">{option.label}</Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {option.value}
              </Text>
            </div>
          )}
          data-testid="audit-action"
        />
        <Select
          label={t('audit.targetType')}
          placeholder={t('audit.anyTargetType')}
          data={names.targetOptions()}
          value={draft.targetType}
          onChange={(v) => set('targetType', v)}
          clearable
          data-testid="audit-target-type"
        />
        <TextInput
          label={t('audit.targetId')}
          value={draft.targetId}
          onChange={(e) => set('targetId', e.currentTarget.value)}
          data-testid="audit-target-id"
        />
      </SimpleGrid>
      <Group justify="space-between" mt="sm">
        <Text size="xs" c="dimmed">
          {t('common.timesIn', { zone: displayTimeZone() })}
        </Text>
        <Group gap="xs">
          <Button variant="default" onClick={clear} data-testid="audit-clear">
            {t('audit.clear')}
          </Button>
          <Button type="submit" variant="light" data-testid="audit-apply">
            {t('common.filter')}
          </Button>
        </Group>
      </Group>
    </form>
  );
}
