/** One payout batch: its totals, its files, mark paid, the bank's return file (with compensation.pay) and its items. */
import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LoadMore } from '../../ui/misc.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime, formatMoney } from '../../ui/time.js';
import { BatchFiles, MarkPaid, ReturnFile } from './batch-actions.js';
import { type BatchItem, useBatch } from './payouts-api.js';
import { BatchState, progress } from './batch-state.js';

const ITEM_COLORS = { pending: 'gray', paid: 'green', failed: 'red' } as const;

export function BatchPanel({
  incidentKey,
  batchId,
  canPay,
}: {
  incidentKey: string;
  batchId: string;
  canPay: boolean;
}) {
  const { t, i18n } = useTranslation();
  const detail = useBatch(incidentKey, batchId);
  const lang = i18n.language;
  return (
    <Card withBorder radius="md" data-testid="batch-detail" data-id={batchId}>
      <QueryView query={detail} keepOnError>
        {(data) => {
          const b = data.pages[0]!;
          const items = data.pages.flatMap((p) => p.lines.items);
          return (
            <Stack gap="md">
              <Group gap="sm" align="center">
                <Title order={4} ff="monospace">
                  {b.id}
                </Title>
                <BatchState state={b.state} />
              </Group>
              <Text size="sm" data-testid="batch-summary">
                {t('payouts.summary', {
                  count: b.items,
                  total: formatMoney(b.totalMinor, b.currency, lang),
                  progress: progress(t, b),
                })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('payouts.createdBy', {
                  who: b.createdBy?.name ?? b.createdBy?.id ?? '—',
                  at: formatDateTime(b.createdAt, lang),
                })}
                {b.exportCount > 0 && ` · ${t('payouts.exportCount', { count: b.exportCount })}`}
              </Text>
              {canPay && (
                <>
                  <BatchFiles incidentKey={incidentKey} batch={b} />
                  {/* The return file stays (its result shown) when it settled the last pending item. */}
                  <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
                    {b.pending.count > 0 && <MarkPaid incidentKey={incidentKey} batch={b} />}
                    <ReturnFile incidentKey={incidentKey} batch={b} />
                  </SimpleGrid>
                </>
              )}
              <Items items={items} />
              <LoadMore
                hasMore={!!detail.hasNextPage}
                loading={detail.isFetchingNextPage}
                onClick={() => detail.fetchNextPage()}
              />
            </Stack>
          );
        }}
      </QueryView>
    </Card>
  );
}

function Items({ items }: { items: BatchItem[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th ta="right">{t('payouts.item.seq')}</Table.Th>
            <Table.Th>{t('payouts.item.claim')}</Table.Th>
            <Table.Th>{t('payouts.item.customer')}</Table.Th>
            <Table.Th ta="right">{t('payouts.item.amount')}</Table.Th>
            <Table.Th>{t('payouts.item.state')}</Table.Th>
            <Table.Th>{t('payouts.item.reference')}</Table.Th>
            <Table.Th>{t('payouts.item.paidAt')}</Table.Th>
            <Table.Th>{t('payouts.item.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((i) => (
            <Table.Tr key={i.seq} data-testid="batch-item" data-state={i.state}>
              <Table.Td ta="right">{i.seq}</Table.Td>
              <Table.Td ff="monospace" fz="sm">
                {i.claimRef}
              </Table.Td>
              <Table.Td ff="monospace" fz="sm">
                {i.customerNo ?? '—'}
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {formatMoney(i.amountMinor, i.currency, lang)}
              </Table.Td>
              <Table.Td>
                <Badge color={ITEM_COLORS[i.state]} variant="light">
                  {t(`payouts.itemState.${i.state}`)}
                </Badge>
              </Table.Td>
              <Table.Td ff="monospace" fz="sm">
                {i.bankReference ?? '—'}
              </Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(i.paidAt, lang)}
              </Table.Td>
              <Table.Td fz="sm" className="tocsin-break">
                {i.failureReason ?? '—'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
