/** Filters of the incident list: status (incl. "active"), grade, category, service and a search box. */
import { useEffect, useState } from 'react';
import { Grid, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useEnumOptions, useServiceName } from '../../ui/enum-options.js';
import { useServices, type IncidentFilters as Filters } from './incidents-api.js';

export function IncidentFilters({ value, onChange }: { value: Filters; onChange: (next: Filters) => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const services = useServices();
  const serviceName = useServiceName();
  const [q, setQ] = useState(value.q ?? '');
  const [debouncedQ] = useDebouncedValue(q, 300);

  useEffect(() => {
    if ((value.q ?? '') !== debouncedQ) onChange({ ...value, q: debouncedQ || undefined });
    // only the typed text drives this effect
  }, [debouncedQ]);

  const set = (field: keyof Filters) => (v: string | null) => onChange({ ...value, [field]: v || undefined });

  return (
    <Grid gutter="sm">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <TextInput
          placeholder={t('incidents.search')}
          aria-label={t('incidents.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-testid="filter-q"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 6, md: 2 }}>
        <Select
          placeholder={t('incidents.filter.status')}
          aria-label={t('incidents.filter.status')}
          clearable
          value={value.status ?? null}
          onChange={set('status')}
          data={[{ value: 'active', label: t('status.active') }, ...options.statuses]}
          data-testid="filter-status"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 6, md: 2 }}>
        <Select
          placeholder={t('incidents.filter.grade')}
          aria-label={t('incidents.filter.grade')}
          clearable
          value={value.grade ?? null}
          onChange={set('grade')}
          data={options.grades}
          data-testid="filter-grade"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 6, md: 2 }}>
        <Select
          placeholder={t('incidents.filter.category')}
          aria-label={t('incidents.filter.category')}
          clearable
          value={value.category ?? null}
          onChange={set('category')}
          data={options.categories}
          data-testid="filter-category"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 6, md: 2 }}>
        <Select
          placeholder={t('incidents.filter.service')}
          aria-label={t('incidents.filter.service')}
          clearable
          searchable
          value={value.service ?? null}
          onChange={set('service')}
          data={(services.data ?? []).map((s) => ({ value: s.key, label: serviceName(s) }))}
          data-testid="filter-service"
        />
      </Grid.Col>
    </Grid>
  );
}
