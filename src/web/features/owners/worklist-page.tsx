/** "My worklist": the customers I own across incidents, not yet reached first with overdue ones leading. */
import { useState } from 'react';
import { Alert, Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { OwnerReminder } from '../../../shared/owner-schemas.js';
import { OWNER_REMINDERS_KEY } from '../../app/sse.js';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { OwnerCasePanel } from './owner-case.js';
import { PoolsCard } from './pools-card.js';
import { CustomerLine, Escalations, SlaBadge } from './owner-parts.js';
import { type OwnerAssignment, useWorklist } from './owners-api.js';

function WorkItem({ a }: { a: OwnerAssignment }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(a.overdue);
  return (
    <Card withBorder radius="md" data-testid="worklist-item" data-customer={a.customer.customerNo}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <CustomerLine a={a} />
          <Group gap="xs">
            <SlaBadge a={a} />
            <Anchor component={Link} to={`/incidents/${a.incidentKey}`} size="sm">
              {a.incidentKey}
            </Anchor>
          </Group>
        </Group>
        <Escalations a={a} />
        {a.nextCallbackAt && (
          <Text size="sm" c="blue" data-testid="worklist-callback">
            {t('owners.callbackFor', { at: formatDateTime(a.nextCallbackAt, i18n.language) })}
          </Text>
        )}
        <Group>
          <Button size="xs" variant="subtle" onClick={() => setOpen((o) => !o)} data-testid="worklist-open">
            {open ? t('owners.hide') : t('owners.work')}
          </Button>
        </Group>
        {open && <OwnerCasePanel incidentKey={a.incidentKey} customerId={a.customer.id} />}
      </Stack>
    </Card>
  );
}

/** Callback reminders heard on the stream since the console opened (newest first). */
function Reminders() {
  const { t, i18n } = useTranslation();
  const reminders = useQuery<OwnerReminder[]>({
    queryKey: OWNER_REMINDERS_KEY,
    queryFn: () => [],
    staleTime: Infinity,
  });
  const items = [...(reminders.data ?? [])].reverse().slice(0, 5);
  if (items.length === 0) return null;
  return (
    <Stack gap={4} data-testid="owner-reminders">
      {items.map((r) => (
        <Alert key={`${r.incidentKey}:${r.customerId}:${r.at}`} color="blue" variant="light" p="xs">
          {t('owners.reminder', {
            customer: r.customerNo,
            incident: r.incidentKey,
            at: formatDateTime(r.at, i18n.language),
          })}
          {r.note ? ` — ${r.note}` : ''}
        </Alert>
      ))}
    </Stack>
  );
}

export function WorklistPage() {
  const { t } = useTranslation();
  usePageTitle(t('owners.worklist'));
  const list = useWorklist();
  return (
    <Stack gap="md" data-testid="worklist">
      <Title order={2}>{t('owners.worklist')}</Title>
      <Text c="dimmed" size="sm">
        {t('owners.worklistHint')}
      </Text>
      <Reminders />
      <QueryView query={list} keepOnError>
        {(items) =>
          items.length === 0 ? (
            <EmptyState>{t('owners.worklistEmpty')}</EmptyState>
          ) : (
            <Stack gap="sm">
              {items.map((a) => (
                <WorkItem key={`${a.incidentKey}:${a.customer.id}`} a={a} />
              ))}
            </Stack>
          )
        }
      </QueryView>
      <PoolsCard />
    </Stack>
  );
}
