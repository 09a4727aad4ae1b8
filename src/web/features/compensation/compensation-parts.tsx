/** Small pieces the compensation tabs share: state badges, a run's parameters, a table of per-customer results. */
import { Badge, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatMoney } from '../../ui/time.js';
import type { Claim, Run, RunResultRow } from './compensation-api.js';

export const STATUS_COLORS: Record<Claim['status'], string> = {
  proposed: 'gray',
  under_assessment: 'indigo',
  offered: 'blue',
  countered: 'orange',
  accepted: 'teal',
  declined: 'red',
  approved: 'green',
  paid: 'dark',
  referred: 'grape',
};

export function ClaimStatusBadge({ status }: { status: Claim['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLORS[status]} data-testid="claim-status" data-status={status}>
      {t(`comp.status.${status}`)}
    </Badge>
  );
}

const TIME_PARAMS = new Set(['outageStart', 'outageEnd']);
const YUAN_PARAMS = new Set(['cap', 'min', 'goodwill', 'amount']);
const SHOWN = [
  'outageStart',
  'outageEnd',
  'cap',
  'min',
  'goodwill',
  'rate',
  'dayCount',
  'amount',
  'ordersFile',
  'pricesFile',
  'itemsFile',
  'skipped',
];

/** The parameters a run was computed with, times in the viewer's zone and amounts in yuan. */
export function RunParameters({ run, compact = false }: { run: Run; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const shown = SHOWN.filter(
    (k) => run.parameters[k] !== undefined && run.parameters[k] !== null && run.parameters[k] !== '',
  );
  if (shown.length === 0) return <Text size="sm">—</Text>;
  const value = (k: string) => {
    const v = run.parameters[k];
    if (TIME_PARAMS.has(k)) return formatDateTime(String(v), i18n.language);
    if (YUAN_PARAMS.has(k)) return `${String(v)} ${t('comp.yuan')}`;
    if (k === 'rate') return `${String(v)}%`;
    return String(v);
  };
  return (
    <Stack gap={0} data-testid="run-parameters">
      {shown
        .filter((k) => !compact || !k.endsWith('File'))
        .map((k) => (
          <Text key={k} size={compact ? 'xs' : 'sm'}>
            {t('comp.param.line', { label: t(`comp.param.${k as 'cap'}`), value: value(k) })}
          </Text>
        ))}
    </Stack>
  );
}

export function RunStateBadge({ run }: { run: Run }) {
  const { t } = useTranslation();
  const state = run.proposedAt ? 'proposed' : run.state;
  const color = { computed: 'gray', reviewed: 'blue', proposed: 'green' }[state];
  return (
    <Badge variant="light" color={color} data-testid="run-state">
      {t(`comp.runState.${state}`)}
    </Badge>
  );
}

export function ResultTable({ rows, currency, testId }: { rows: RunResultRow[]; currency: string; testId: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('comp.run.customer')}</Table.Th>
            <Table.Th ta="right">{t('comp.run.orders')}</Table.Th>
            <Table.Th ta="right">{t('comp.run.loss')}</Table.Th>
            <Table.Th ta="right">{t('comp.run.compensation')}</Table.Th>
            <Table.Th>{t('comp.run.basis')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.customerNo} data-testid="result-row">
              <Table.Td ff="monospace">
                {r.customerNo}
                {r.customerId === null && (
                  <Text span size="xs" c="orange" ml={6}>
                    {t('comp.run.unknownCustomer')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{r.orders.toLocaleString(i18n.language)}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {formatMoney(r.lossMinor, currency, i18n.language)}
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {formatMoney(r.compensationMinor, currency, i18n.language)}
              </Table.Td>
              <Table.Td>{t(`comp.basis.${r.basis as 'goodwill'}`, { defaultValue: r.basis })}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
