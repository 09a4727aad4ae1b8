/** The Claims tab: filters (status, source, run, customer), the list, and a claim's detail in a drawer. */
import { Button, Card, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CLAIM_SOURCES, CLAIM_STATUSES } from '../../../shared/compensation.js';
import { LoadMore } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime, formatMoney } from '../../ui/time.js';
import { ClaimDrawer } from './claim-drawer.js';
import { ClaimStatusBadge } from './compensation-parts.js';
import { type Claim, type ClaimFilters, lookupCustomerId, useClaims, useRuns } from './compensation-api.js';

export function ClaimsTab({ incidentKey }: { incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters: ClaimFilters = {
    status: params.get('status') ?? undefined,
    source: params.get('source') ?? undefined,
    runId: params.get('runId') ?? undefined,
    customerId: params.get('customerId') ?? undefined,
  };
  const setParam = (name: string, value: string | null) =>
    setParams(
      (p) => {
        if (value) p.set(name, value);
        else p.delete(name);
        return p;
      },
      { replace: true },
    );
  const claims = useClaims(incidentKey, filters);
  const runs = useRuns(incidentKey);
  const [customerNo, setCustomerNo] = useState('');
  const [lookupError, setLookupError] = useState<unknown>(null);
  const openClaim = params.get('claim');

  async function findCustomer() {
    setLookupError(null);
    if (!customerNo.trim()) return setParam('customerId', null);
    try {
      setParam('customerId', await lookupCustomerId(customerNo.trim()));
    } catch (e) {
      setLookupError(e);
    }
  }

  return (
    <Stack gap="md">
      <Card withBorder radius="md">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select
            label={t('comp.claims.status')}
            data={CLAIM_STATUSES.map((s) => ({ value: s, label: t(`comp.status.${s}`) }))}
            value={filters.status ?? null}
            onChange={(v) => setParam('status', v)}
            clearable
            placeholder={t('common.all')}
            w={170}
            data-testid="claims-status"
          />
          <Select
            label={t('comp.claims.source')}
            data={CLAIM_SOURCES.map((s) => ({ value: s, label: t(`comp.source.${s}`) }))}
            value={filters.source ?? null}
            onChange={(v) => setParam('source', v)}
            clearable
            placeholder={t('common.all')}
            w={150}
            data-testid="claims-source"
          />
          <Select
            label={t('comp.claims.run')}
            data={(runs.data ?? []).map((r) => ({
              value: r.id,
              label: `${t(`comp.method.${r.method as 'fixed'}`)} · ${formatDateTime(r.createdAt, i18n.language)}`,
            }))}
            value={filters.runId ?? null}
            onChange={(v) => setParam('runId', v)}
            clearable
            placeholder={t('common.all')}
            w={260}
            data-testid="claims-run"
          />
          <TextInput
            label={t('comp.claims.customer')}
            placeholder={t('comp.claims.customerNo')}
            value={customerNo}
            onChange={(e) => setCustomerNo(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && void findCustomer()}
            w={160}
            data-testid="claims-customer"
          />
          <Button variant="default" onClick={() => void findCustomer()} data-testid="claims-customer-apply">
            {t('common.filter')}
          </Button>
        </Group>
        <ProblemAlert error={lookupError} />
      </Card>
      <QueryView query={claims} keepOnError>
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items);
          return rows.length === 0 ? (
            <EmptyState testId="claims-empty">{t('comp.claims.empty')}</EmptyState>
          ) : (
            <Stack gap="sm">
              <ClaimTable claims={rows} onOpen={(id) => setParam('claim', id)} />
              <LoadMore
                hasMore={claims.hasNextPage}
                loading={claims.isFetchingNextPage}
                onClick={() => void claims.fetchNextPage()}
              />
            </Stack>
          );
        }}
      </QueryView>
      {openClaim && <ClaimDrawer claimId={openClaim} onClose={() => setParam('claim', null)} />}
    </Stack>
  );
}

export function ClaimTable({
  claims,
  onOpen,
  withIncident = false,
}: {
  claims: Claim[];
  onOpen: (id: string) => void;
  withIncident?: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table highlightOnHover data-testid="claims-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('comp.claims.ref')}</Table.Th>
            {withIncident && <Table.Th>{t('comp.claims.incident')}</Table.Th>}
            <Table.Th>{t('comp.claims.customer')}</Table.Th>
            <Table.Th>{t('comp.claims.status')}</Table.Th>
            <Table.Th>{t('comp.claims.source')}</Table.Th>
            <Table.Th ta="right">{t('comp.claims.amount')}</Table.Th>
            <Table.Th>{t('comp.claims.approval')}</Table.Th>
            <Table.Th>{t('comp.claims.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {claims.map((c) => (
            <Table.Tr
              key={c.id}
              data-testid="claim-row"
              data-ref={c.ref}
              style={{ cursor: 'pointer' }}
              onClick={() => onOpen(c.id)}
            >
              <Table.Td ff="monospace">
                <Text span c="blue" size="sm" td="underline">
                  {c.ref}
                </Text>
              </Table.Td>
              {withIncident && <Table.Td ff="monospace">{c.incidentKey}</Table.Td>}
              <Table.Td>
                <Text size="sm">{c.customer.name}</Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {c.customer.customerNo}
                  {c.customer.tier ? ` · ${c.customer.tier}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <ClaimStatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>{t(`comp.source.${c.source}`)}</Table.Td>
              <Table.Td ta="right" ff="monospace" data-testid="claim-amount">
                {formatMoney(c.amountMinor, c.currency, i18n.language)}
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {t(`comp.tier.${c.approval.tier as 'lead'}`, { defaultValue: c.approval.tier })} · {c.approval.given}/
                  {c.approval.needed}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{formatDateTime(c.updatedAt, i18n.language)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
