/** The incident list as a dense table; the grade and "open for" headers switch the server's order. */
import { Table, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../app/types.js';
import { IncidentRow } from './incident-row.js';

export type IncidentSort = 'detected' | 'severity';

function SortableTh({
  label,
  sort,
  active,
  onSort,
}: {
  label: string;
  sort: IncidentSort;
  active: boolean;
  onSort: (s: IncidentSort) => void;
}) {
  const { t } = useTranslation();
  return (
    <Table.Th
      aria-sort={active ? (sort === 'detected' ? 'ascending' : 'descending') : 'none'}
      style={{ whiteSpace: 'nowrap' }}
    >
      <UnstyledButton
        onClick={() => onSort(sort)}
        title={t('incidents.sortBy', { column: label })}
        fw={700}
        fz="sm"
        data-testid={`sort-${sort}`}
        data-active={active || undefined}
      >
        {label} {active ? '↓' : '↕'}
      </UnstyledButton>
    </Table.Th>
  );
}

export function IncidentTable({
  incidents,
  now,
  sort,
  onSort,
}: {
  incidents: Incident[];
  now: number;
  sort: IncidentSort;
  onSort: (s: IncidentSort) => void;
}) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table verticalSpacing={6} horizontalSpacing="xs" highlightOnHover striped data-testid="incident-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('incidents.col.key')}</Table.Th>
            <SortableTh label={t('incidents.col.grade')} sort="severity" active={sort === 'severity'} onSort={onSort} />
            <Table.Th>{t('incidents.col.status')}</Table.Th>
            <Table.Th>{t('incidents.col.title')}</Table.Th>
            <Table.Th>{t('incidents.col.commander')}</Table.Th>
            <Table.Th>{t('incidents.col.services')}</Table.Th>
            <SortableTh label={t('incidents.col.age')} sort="detected" active={sort === 'detected'} onSort={onSort} />
            <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('incidents.col.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {incidents.map((i) => (
            <IncidentRow key={i.key} incident={i} now={now} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
