/** The war room's "Compensation" card: the ledger's headline figures and a link to the compensation page. */
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatMoney } from '../../ui/time.js';
import { useLedger } from './compensation-api.js';

const HEADLINE = ['reserve', 'offered', 'accepted', 'approved', 'paid'] as const;

export function CompensationCard({ incidentKey }: { incidentKey: string }) {
  const canRead = useCan('compensation.read');
  if (!canRead) return null;
  return <Headline incidentKey={incidentKey} />;
}

function Headline({ incidentKey }: { incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const ledger = useLedger(incidentKey);
  return (
    <Card withBorder radius="md" data-testid="compensation-card">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={4}>{t('comp.title')}</Title>
          <Anchor
            component={Link}
            to={`/incidents/${encodeURIComponent(incidentKey)}/compensation`}
            size="sm"
            data-testid="compensation-open"
          >
            {t('comp.card.open')}
          </Anchor>
        </Group>
        <QueryView query={ledger} compact keepOnError>
          {(l) =>
            l.currencies.length === 0 ? (
              <EmptyState compact>{t('comp.card.empty')}</EmptyState>
            ) : (
              l.currencies.map((c) => (
                <Stack key={c.currency} gap={4}>
                  <Text size="xs" c="dimmed">
                    {t('comp.ledger.claims', { count: c.claims })}
                  </Text>
                  <SimpleGrid cols={2} spacing={4} verticalSpacing={2}>
                    {HEADLINE.map((line) => (
                      <Stack key={line} gap={0} data-testid={`card-${line}`}>
                        <Text size="xs" c="dimmed">
                          {t(`comp.ledger.${line}`)} · {c[line].count}
                        </Text>
                        <Text size="sm" fw={600} ff="monospace">
                          {formatMoney(c[line].amountMinor, c.currency, i18n.language)}
                        </Text>
                      </Stack>
                    ))}
                  </SimpleGrid>
                </Stack>
              ))
            )
          }
        </QueryView>
      </Stack>
    </Card>
  );
}
