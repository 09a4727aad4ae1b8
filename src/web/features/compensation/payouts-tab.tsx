/** The Payouts tab: approved claims waiting for payment, creating a batch of them, the batches and one batch's detail. */
import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { LoadMore } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime, formatMoney } from '../../ui/time.js';
import { BatchPanel } from './batch-panel.js';
import { BatchState } from './batch-state.js';
import { useLedger } from './compensation-api.js';
import { newBatchId, useBatches, useCreateBatch } from './payouts-api.js';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

export function PayoutsTab({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canPay = useCan('compensation.pay');
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack gap="md" data-testid="payouts-tab">
      <Waiting incidentKey={incidentKey} canPay={canPay} onCreated={setOpen} />
      <Card withBorder radius="md">
        <Stack gap="sm">
          <Title order={4}>{t('payouts.batches')}</Title>
          <BatchList incidentKey={incidentKey} open={open} onOpen={setOpen} />
        </Stack>
      </Card>
      {open && <BatchPanel key={open} incidentKey={incidentKey} batchId={open} canPay={canPay} />}
    </Stack>
  );
}

/** Approved claims not in a live batch (the ledger's approved line less what batches are paying), and "Create batch". */
function Waiting({
  incidentKey,
  canPay,
  onCreated,
}: {
  incidentKey: string;
  canPay: boolean;
  onCreated: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const ledger = useLedger(incidentKey);
  const create = useCreateBatch(incidentKey);
  // One id per batch the user means to create, kept until it is made: both clicks of a double click
  // (or a retry after an error) ask for the same batch even when they fall in different seconds of the
  // id's stamp. With two ids the second request found no claim left and failed, and the batch, made by
  // the first, never opened (only the last request's success is reported).
  const intended = useRef<string | null>(null);
  const createOnce = () => {
    intended.current ??= newBatchId(incidentKey);
    create.mutate(intended.current, {
      onSuccess: (b) => {
        intended.current = null;
        onCreated(b.id);
      },
    });
  };
  return (
    <Card withBorder radius="md" data-testid="payouts-waiting">
      <Stack gap="sm">
        <Title order={4}>{t('payouts.waiting')}</Title>
        <QueryView query={ledger} compact>
          {(l) => {
            const rows = l.currencies.map((c) => ({
              currency: c.currency,
              count: c.approved.count - c.inPayout.count,
              amountMinor: c.approved.amountMinor - c.inPayout.amountMinor,
            }));
            const any = rows.some((r) => r.count > 0);
            return (
              <Stack gap="xs">
                {!any ? (
                  <Text size="sm" c="dimmed" data-testid="payouts-none-waiting">
                    {t('payouts.noneWaiting')}
                  </Text>
                ) : (
                  rows
                    .filter((r) => r.count > 0)
                    .map((r) => (
                      <Text key={r.currency} data-testid="payouts-waiting-line" data-currency={r.currency}>
                        {t('payouts.waitingLine', {
                          count: r.count,
                          amount: formatMoney(r.amountMinor, r.currency, i18n.language),
                        })}
                      </Text>
                    ))
                )}
                {canPay && (
                  <Group>
                    <Button
                      disabled={!any}
                      loading={create.isPending}
                      onClick={createOnce}
                      data-testid="payouts-create"
                    >
                      {t('payouts.create')}
                    </Button>
                    <Text size="xs" c="dimmed">
                      {t('payouts.createHint')}
                    </Text>
                  </Group>
                )}
                <ProblemAlert error={create.error} />
              </Stack>
            );
          }}
        </QueryView>
      </Stack>
    </Card>
  );
}

function BatchList({
  incidentKey,
  open,
  onOpen,
}: {
  incidentKey: string;
  open: string | null;
  onOpen: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const batches = useBatches(incidentKey);
  const lang = i18n.language;
  return (
    <QueryView query={batches} keepOnError>
      {(data) => {
        const rows = data.pages.flatMap((p) => p.items);
        return rows.length === 0 ? (
          <EmptyState compact testId="batches-empty">
            {t('payouts.empty')}
          </EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={1000}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('payouts.col.id')}</Table.Th>
                    <Table.Th>{t('payouts.col.state')}</Table.Th>
                    <Table.Th ta="right" style={NOWRAP}>
                      {t('payouts.col.items')}
                    </Table.Th>
                    <Table.Th ta="right">{t('payouts.col.total')}</Table.Th>
                    <Table.Th ta="center" style={NOWRAP}>
                      {t('payouts.col.progress')}
                    </Table.Th>
                    <Table.Th>{t('payouts.col.exportedAt')}</Table.Th>
                    <Table.Th>{t('payouts.col.paidAt')}</Table.Th>
                    <Table.Th>{t('payouts.col.reference')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((b) => (
                    <Table.Tr
                      key={b.id}
                      onClick={() => onOpen(b.id)}
                      style={{ cursor: 'pointer' }}
                      bg={open === b.id ? 'var(--mantine-color-blue-light)' : undefined}
                      data-testid="batch-row"
                      data-id={b.id}
                      data-state={b.state}
                    >
                      <Table.Td ff="monospace" fz="sm">
                        {b.id}
                      </Table.Td>
                      <Table.Td style={{ minWidth: 120 }}>
                        <BatchState state={b.state} />
                      </Table.Td>
                      <Table.Td ta="right">{b.items.toLocaleString(lang)}</Table.Td>
                      <Table.Td ta="right" ff="monospace">
                        {formatMoney(b.totalMinor, b.currency, lang)}
                      </Table.Td>
                      <Table.Td ta="center" ff="monospace" fz="sm" style={NOWRAP} data-testid="batch-progress">
                        {b.paid.count} / {b.failed.count} / {b.pending.count}
                      </Table.Td>
                      <Table.Td fz="sm" style={NOWRAP}>
                        {formatDateTime(b.exportedAt, lang)}
                      </Table.Td>
                      <Table.Td fz="sm" style={NOWRAP}>
                        {formatDateTime(b.paidAt, lang)}
                      </Table.Td>
                      <Table.Td ff="monospace" fz="sm" style={NOWRAP}>
                        {b.bankReference ?? '—'}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LoadMore
              hasMore={!!batches.hasNextPage}
              loading={batches.isFetchingNextPage}
              onClick={() => batches.fetchNextPage()}
            />
          </>
        );
      }}
    </QueryView>
  );
}
