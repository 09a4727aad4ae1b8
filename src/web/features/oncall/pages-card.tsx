/** The war room's "Pages" card: who was paged, through which channel, who acknowledged, and whom nobody could reach — live. */
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Page as PageRecord } from '../../../shared/page-schemas.js';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { useAckPage, useIncidentPages } from './oncall-api.js';

const STATE_COLOUR = { pending: 'gray', sent: 'teal', failed: 'red', skipped: 'gray' } as const;
const STATUS_COLOUR = { open: 'orange', acknowledged: 'teal', exhausted: 'red' } as const;

function PageItem({ page, incidentKey }: { page: PageRecord; incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const canAck = useCan('page.ack');
  const ack = useAckPage(incidentKey);
  const lang = i18n.language;
  return (
    <Stack gap={6} data-testid="page-item" data-status={page.status}>
      <Group justify="space-between" gap="xs">
        <Group gap={6}>
          <Badge color={STATUS_COLOUR[page.status]} data-testid="page-status">
            {t(`pages.status.${page.status}`)}
          </Badge>
          <Text size="sm" fw={500}>
            {page.policyName === 'direct' ? t('pages.direct') : page.policyName}
          </Text>
        </Group>
        {page.status === 'open' && canAck && (
          <Button size="compact-xs" onClick={() => ack.mutate(page.id)} loading={ack.isPending} data-testid="page-ack">
            {t('pages.ack')}
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {t('pages.meta', { at: formatDateTime(page.pagedAt, lang), sent: page.stepsSent, total: page.stepsTotal })}
        {page.nextEscalationAt && ` · ${t('pages.next', { at: formatDateTime(page.nextEscalationAt, lang) })}`}
      </Text>
      {page.acknowledgedAt && (
        <Text size="xs" data-testid="page-acked">
          {t('pages.acknowledged', {
            name: page.acknowledgedBy?.name ?? '—',
            at: formatDateTime(page.acknowledgedAt, lang),
          })}
        </Text>
      )}
      {page.deliveries.map((d) => (
        <Group
          key={d.id}
          gap={6}
          wrap="nowrap"
          data-testid="page-delivery"
          data-level={d.level + 1}
          data-state={d.state}
        >
          <Badge size="xs" variant="outline">
            {t('oncall.level', { n: d.level + 1 })}
          </Badge>
          <Text size="xs">{d.userName ?? d.userId}</Text>
          <Text size="xs" c="dimmed">
            {d.channel}
          </Text>
          <Badge size="xs" color={STATE_COLOUR[d.state]} variant="light">
            {t(`pages.delivery.${d.state}`)}
          </Badge>
        </Group>
      ))}
      {page.problems.map((p) => (
        <Alert key={`${p.userId}-${p.step}-${p.reason}`} color="red" p="xs" data-testid="page-problem">
          <Text size="xs">
            {t(`pages.problem.${p.reason}`, { name: p.userName ?? p.userId, level: p.step + 1 })}
            {p.detail && ` (${p.detail})`}
          </Text>
        </Alert>
      ))}
      {ack.error && <ProblemAlert error={ack.error} />}
    </Stack>
  );
}

export function PagesCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const pages = useIncidentPages(incidentKey);
  return (
    <Card withBorder radius="md" data-testid="incident-pages">
      <Stack gap="sm">
        <Title order={4}>{t('pages.title')}</Title>
        <QueryView query={pages} keepOnError compact>
          {(data) =>
            data.items.length === 0 ? (
              <EmptyState compact>{t('pages.empty')}</EmptyState>
            ) : (
              data.items.map((p) => <PageItem key={p.id} page={p} incidentKey={incidentKey} />)
            )
          }
        </QueryView>
      </Stack>
    </Card>
  );
}
