/** The incident's compensation ledger: count and amount per line (reserve ... in a payout batch), per currency. */
import { Card, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatMoney } from '../../ui/time.js';
import { type Ledger, useLedger } from './compensation-api.js';

type Currency = Ledger['currencies'][number];
export const LEDGER_LINES = [
  'reserve',
  'proposed',
  'offered',
  'countered',
  'accepted',
  'approved',
  'paid',
  'declined',
  'inMediation',
  'declinedGoodwill',
  'inPayout',
  'payoutFailed',
] as const satisfies readonly (keyof Currency)[];

export function LedgerTab({ incidentKey }: { incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const ledger = useLedger(incidentKey);
  return (
    <QueryView query={ledger}>
      {(l) =>
        l.currencies.length === 0 ? (
          <EmptyState testId="ledger-empty">{t('comp.ledger.empty')}</EmptyState>
        ) : (
          <Stack gap="md">
            {l.currencies.map((c) => (
              <Card key={c.currency} withBorder radius="md" data-testid="ledger" data-currency={c.currency}>
                <Stack gap="xs">
                  <Title order={4}>{t('comp.ledger.title', { currency: c.currency })}</Title>
                  <Text size="sm" c="dimmed">
                    {t('comp.ledger.claims', { count: c.claims })}
                  </Text>
                  <Table striped maw={640}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('comp.ledger.line')}</Table.Th>
                        <Table.Th ta="right">{t('comp.ledger.count')}</Table.Th>
                        <Table.Th ta="right">{t('comp.ledger.amount')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {LEDGER_LINES.map((line) => (
                        <Table.Tr key={line} data-testid={`ledger-${line}`}>
                          <Table.Td>
                            {line === 'inPayout'
                              ? t('payouts.ledgerInPayout')
                              : line === 'payoutFailed'
                                ? t('payouts.ledgerPayoutFailed')
                                : t(`comp.ledger.${line}`)}
                          </Table.Td>
                          <Table.Td ta="right" data-testid="ledger-count">
                            {c[line].count.toLocaleString(i18n.language)}
                          </Table.Td>
                          <Table.Td ta="right" ff="monospace" data-testid="ledger-amount">
                            {formatMoney(c[line].amountMinor, c.currency, i18n.language)}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Stack>
              </Card>
            ))}
          </Stack>
        )
      }
    </QueryView>
  );
}
