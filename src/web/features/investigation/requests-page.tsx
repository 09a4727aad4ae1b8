/**
 * The register of requests from outside at /investigation-requests: who asked (police, CSRC and its local
 * office, CAC, courts, auditors), their reference, what they asked for, the deadline (overdue in red),
 * the incident, and what was handed over, when and by whom. investigation.manage records, answers and
 * withdraws; reminders before the deadline go through the durable jobs (docs/investigation.md).
 */
import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { AnswerModal, NewRequestModal } from './request-forms.js';
import { type InvestigationRequest, useRequests, useSetRequestStatus } from './requests-api.js';

const STATUS_COLOR = { open: 'blue', answered: 'green', withdrawn: 'gray' } as const;

export function RequestsPage() {
  const { t } = useTranslation();
  const allowed = useCan('investigation.read');
  const canManage = useCan('investigation.manage');
  usePageTitle(t('investigation.requests.title'));
  const [status, setStatus] = useState('open');
  const [overdue, setOverdue] = useState(false);
  const [creating, setCreating] = useState(false);
  const query = useRequests({ status: status === 'all' ? undefined : status, overdue });
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('investigation.requests.title')}</Title>
        {canManage && (
          <Button onClick={() => setCreating(true)} data-testid="request-new">
            {t('investigation.requests.new')}
          </Button>
        )}
      </Group>
      <Group gap="md">
        <SegmentedControl
          value={status}
          onChange={setStatus}
          data={(['open', 'answered', 'withdrawn', 'all'] as const).map((s) => ({
            value: s,
            label: t(`investigation.requests.statuses.${s}`),
          }))}
        />
        <Checkbox
          label={t('investigation.requests.overdueOnly')}
          checked={overdue}
          onChange={(e) => setOverdue(e.currentTarget.checked)}
        />
      </Group>
      <Card withBorder radius="md" p={0}>
        <QueryView query={query}>
          {({ items }) =>
            items.length === 0 ? (
              <EmptyState>{t('investigation.requests.empty')}</EmptyState>
            ) : (
              <Table.ScrollContainer minWidth={900}>
                <Table verticalSpacing="xs" data-testid="requests-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('investigation.requests.requester')}</Table.Th>
                      <Table.Th>{t('investigation.requests.requested')}</Table.Th>
                      <Table.Th>{t('investigation.requests.incident')}</Table.Th>
                      <Table.Th>{t('investigation.requests.deadline')}</Table.Th>
                      <Table.Th>{t('investigation.requests.status')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((r) => (
                      <RequestRow key={r.id} request={r} canManage={canManage} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryView>
      </Card>
      {creating && <NewRequestModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

function RequestRow({ request: r, canManage }: { request: InvestigationRequest; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const [answering, setAnswering] = useState(false);
  const setStatus = useSetRequestStatus();
  const when = (iso: string | null) => formatDateTime(iso, i18n.language);
  return (
    <Table.Tr data-testid="request-row" data-status={r.status} data-overdue={r.overdue}>
      <Table.Td>
        <Text size="sm" fw={600} className="tocsin-break">
          {r.requesterName}
        </Text>
        <Text size="xs" c="dimmed">
          {t(`investigation.requests.kinds.${r.requesterKind}`)}
          {r.reference ? ` · ${r.reference}` : ''} ·{' '}
          {t('investigation.requests.receivedOn', { at: when(r.receivedAt) })}
        </Text>
      </Table.Td>
      <Table.Td maw={360}>
        <Text size="sm" className="tocsin-break" style={{ whiteSpace: 'pre-wrap' }} lineClamp={4}>
          {r.requested}
        </Text>
        {r.handedOver.length > 0 && (
          <Text size="xs" c="dimmed" className="tocsin-break" data-testid="request-handed">
            {t('investigation.requests.handedOn', { at: when(r.answeredAt), name: r.answeredBy?.name ?? '' })}{' '}
            {r.handedOver
              .map(
                (h) =>
                  `${t(`investigation.requests.handed.${h.kind as 'other'}`)}${h.ref ? ` ${h.ref}` : ''}: ${h.description}`,
              )
              .join('; ')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {r.incidentKey ? (
          <Anchor component={Link} to={`/incidents/${encodeURIComponent(r.incidentKey)}`} size="sm">
            {r.incidentKey}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={r.overdue ? 'red' : undefined} fw={r.overdue ? 700 : undefined}>
          {r.deadlineAt ? when(r.deadlineAt) : '—'}
        </Text>
        {r.overdue && (
          <Badge color="red" size="xs">
            {t('investigation.requests.overdue')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[r.status]} variant="light">
          {t(`investigation.requests.statuses.${r.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        {canManage && r.status === 'open' && (
          <Group gap={4} wrap="nowrap">
            <Button size="xs" variant="light" onClick={() => setAnswering(true)}>
              {t('investigation.requests.answer')}
            </Button>
            <Button
              size="xs"
              variant="subtle"
              color="gray"
              loading={setStatus.isPending}
              onClick={() => setStatus.mutate({ id: r.id, status: 'withdrawn' })}
            >
              {t('investigation.requests.withdraw')}
            </Button>
          </Group>
        )}
        <ProblemAlert error={setStatus.error} />
        {answering && <AnswerModal request={r} onClose={() => setAnswering(false)} />}
      </Table.Td>
    </Table.Tr>
  );
}
