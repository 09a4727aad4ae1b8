/** Filters of the incident list: grade, category, service, a search box, and the order on phones (the table's headers order it elsewhere). Status is the page's scope switch. */
import { Grid, Select, type ComboboxData } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useEnumOptions } from '../../ui/enum-options.js';
import { SearchField } from '../../ui/search-field.js';
import { useServiceOptions } from '../services/services-api.js';
import type { IncidentFilters as Filters } from './incidents-api.js';

type SelectField = Exclude<keyof Filters, 'q' | 'status'>;

export function IncidentFilters({ value, onChange }: { value: Filters; onChange: (change: Filters) => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const serviceOptions = useServiceOptions();

  const select = (
    field: SelectField,
    label: string,
    data: ComboboxData,
    extra: { searchable?: boolean; clearable?: boolean } = {},
  ) => (
    <Grid.Col span={{ base: 6, md: 3 }} hiddenFrom={field === 'sort' ? 'sm' : undefined}>
      <Select
        placeholder={label}
        aria-label={label}
        clearable={extra.clearable ?? true}
        searchable={extra.searchable}
        value={value[field] ?? null}
        onChange={(v) => onChange({ [field]: v || undefined })}
        data={data}
        data-testid={`filter-${field}`}
      />
    </Grid.Col>
  );

  return (
    <Grid gutter="sm">
      <Grid.Col span={{ base: 12, md: 3 }}>
        <SearchField
          value={value.q}
          onSearch={(q) => onChange({ q })}
          label={t('incidents.search')}
          testId="filter-q"
        />
      </Grid.Col>
      {select('grade', t('incidents.filter.grade'), options.grades)}
      {select('category', t('incidents.filter.category'), options.categories)}
      {select('service', t('incidents.filter.service'), serviceOptions, { searchable: true })}
      {select('sort', t('incidents.sort.label'), [
        { value: 'detected', label: t('incidents.sort.detected') },
        { value: 'severity', label: t('incidents.sort.severity') },
      ])}
    </Grid>
  );
}
