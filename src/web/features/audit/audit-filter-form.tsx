/** The audit page's filters: a date range (days in the viewer's zone), the actor, the action, the target; applied to the URL. */
import { useState, type FormEvent } from 'react';
import { Button, Group, Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SYSTEM_ACTOR_FILTER } from '../../../shared/audit-actions.js';
import type { FilterPatch, UrlFilters } from '../../app/url-filters.js';
import { dayRange } from '../../ui/day-range.js';
import { displayTimeZone } from '../../ui/time.js';
import { useUsers } from '../users/users-api.js';
import type { AuditFilters } from './audit-api.js';
import { useAuditNames } from './audit-names.js';

/** The filters in the URL: `from` and `to` are days in the viewer's zone (`to` included), the rest as the API takes them. */
export const AUDIT_FILTERS = {
  from: undefined,
  to: undefined,
  actorId: undefined,
  action: undefined,
  targetType: undefined,
  targetId: undefined,
} as const;
export type AuditUrlFilters = UrlFilters<typeof AUDIT_FILTERS>;

/** The URL's filters as the API takes them: the days as the instants they begin and end. */
export function auditQuery({ from, to, ...rest }: AuditUrlFilters): AuditFilters {
  const range = dayRange(from ?? '', to ?? '');
  return { ...rest, from: range.from, to: range.to };
}

interface Draft {
  fromDay: string;
  toDay: string;
  actorId: string | null;
  action: string | null;
  targetType: string | null;
  targetId: string;
}

const draftOf = (f: AuditUrlFilters): Draft => ({
  fromDay: f.from ?? '',
  toDay: f.to ?? '',
  actorId: f.actorId ?? null,
  action: f.action ?? null,
  targetType: f.targetType ?? null,
  targetId: f.targetId ?? '',
});

/** The filters a draft applies (in AUDIT_FILTERS' order, as the URL reads them back). */
const filtersOf = (d: Draft): AuditUrlFilters => ({
  from: d.fromDay || undefined,
  to: d.toDay || undefined,
  actorId: d.actorId ?? undefined,
  action: d.action ?? undefined,
  targetType: d.targetType ?? undefined,
  targetId: d.targetId.trim() || undefined,
});

/**
 * A draft of `value` (the filters applied now) until "Filter" applies it. When the URL comes to hold other
 * filters than this form applied last (a link, the navigation), the draft starts again from them.
 */
export function AuditFilterForm({
  value,
  onApply,
}: {
  value: AuditUrlFilters;
  onApply: (filters: FilterPatch<typeof AUDIT_FILTERS>) => void;
}) {
  const { t } = useTranslation();
  const names = useAuditNames();
  const users = useUsers();
  const inUrl = JSON.stringify(value);
  const [seen, setSeen] = useState(inUrl);
  // What this form applied last: the URL comes to hold it a moment later, while the draft may change again.
  const [applied, setApplied] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(value));
  const [rangeError, setRangeError] = useState(false);
  if (seen !== inUrl) {
    setSeen(inUrl);
    if (inUrl !== applied) {
      setDraft(draftOf(value));
      setRangeError(false);
    }
  }
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const applyDraft = (d: Draft) => {
    const filters = filtersOf(d);
    setApplied(JSON.stringify(filters));
    onApply(filters);
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const range = dayRange(draft.fromDay, draft.toDay);
    setRangeError(range.empty);
    if (range.empty) return;
    applyDraft(draft);
  };
  const clear = () => {
    const empty = draftOf(AUDIT_FILTERS);
    setDraft(empty);
    setRangeError(false);
    applyDraft(empty);
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
