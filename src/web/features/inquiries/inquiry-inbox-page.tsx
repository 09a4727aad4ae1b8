/**
 * The inbox of customer inquiries at /inquiries: filters (status, overdue, mine / unassigned, incident),
 * newest first with SLA badges, a page at a time; the chosen inquiry opens beside the list.
 */
import { useState } from 'react';
import {
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useCan, useSession } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { type InboxFilter, useInbox } from './inquiries-api.js';
import { InquiryBadges } from './inquiry-badges.js';
import { InquiryDetail } from './inquiry-detail.js';

const STATUSES = ['new', 'assigned', 'answered', 'closed'] as const;

export function InquiryInboxPage() {
  const { t, i18n } = useTranslation();
  const allowed = useCan('inquiry.read');
  const me = useSession().user;
  usePageTitle(t('customerInquiries.title'));
  const [status, setStatus] = useState('open');
  const [overdue, setOverdue] = useState(false);
  const [who, setWho] = useState('all');
  const [incident, setIncident] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const filter: InboxFilter = {
    status: status === 'open' || status === 'all' ? undefined : status,
    overdue: overdue || undefined,
    assignee: who === 'mine' ? me.id : who === 'none' ? 'none' : undefined,
    incident: /^INC-\d{4}-\d{4,}$/.test(incident.trim()) ? incident.trim() : undefined,
  };
  const list = useInbox(filter, cursors.at(-1));
  if (!allowed) return <NotPermitted />;
  const reset = () => setCursors([]);
  return (
    <Stack gap="md" data-testid="inquiry-inbox-page">
      <Stack gap={4} maw={820}>
        <Title order={2}>{t('customerInquiries.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('customerInquiries.intro')}
        </Text>
      </Stack>
      <Group gap="sm" wrap="wrap">
        <SegmentedControl
          size="xs"
          value={status}
          onChange={(v) => {
            setStatus(v);
            reset();
          }}
          data={[
            { value: 'open', label: t('customerInquiries.filterAll') },
            ...STATUSES.map((s) => ({ value: s, label: t(`customerInquiries.status.${s}`) })),
          ]}
          data-testid="inbox-status-filter"
        />
        <SegmentedControl
          size="xs"
          value={who}
          onChange={(v) => {
            setWho(v);
            reset();
          }}
          data={[
            { value: 'all', label: t('customerInquiries.everyone') },
            { value: 'mine', label: t('customerInquiries.mine') },
            { value: 'none', label: t('customerInquiries.unassigned') },
          ]}
        />
        <Checkbox
          label={t('customerInquiries.overdueOnly')}
          checked={overdue}
          onChange={(e) => {
            setOverdue(e.currentTarget.checked);
            reset();
          }}
          data-testid="inbox-overdue-filter"
        />
        <TextInput
          size="xs"
          placeholder={t('customerInquiries.incidentFilter')}
          value={incident}
          onChange={(e) => {
            setIncident(e.currentTarget.value);
            reset();
          }}
        />
      </Group>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <QueryView query={list} keepOnError>
            {(page) =>
              page.items.length === 0 ? (
                <EmptyState testId="inbox-empty">{t('customerInquiries.empty')}</EmptyState>
              ) : (
                <Stack gap="xs" data-testid="inbox-list">
                  {page.items.map((q) => (
                    <UnstyledButton
                      key={q.id}
                      onClick={() => setSelected(q.id)}
                      data-testid="inbox-item"
                      data-reference={q.reference}
                    >
                      <Card
                        withBorder
                        radius="md"
                        padding="sm"
                        style={{
                          borderColor: q.overdue
                            ? 'var(--mantine-color-red-6)'
                            : selected === q.id
                              ? 'var(--mantine-color-blue-5)'
                              : undefined,
                        }}
                      >
                        <Group justify="space-between" gap="xs" wrap="nowrap">
                          <Text fw={600} size="sm">
                            {q.reference}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {q.incidentKey ?? t('customerInquiries.general')} ·{' '}
                            {formatDateTime(q.createdAt, i18n.language)}
                          </Text>
                        </Group>
                        <Text size="sm" lineClamp={2} style={{ wordBreak: 'break-word' }}>
                          {q.question}
                        </Text>
                        <InquiryBadges inquiry={q} />
                      </Card>
                    </UnstyledButton>
                  ))}
                  <Group gap="xs">
                    {cursors.length > 0 && (
                      <Button variant="default" size="xs" onClick={() => setCursors((c) => c.slice(0, -1))}>
                        {t('customerInquiries.newer')}
                      </Button>
                    )}
                    {page.next && (
                      <Button variant="default" size="xs" onClick={() => setCursors((c) => [...c, page.next!])}>
                        {t('customerInquiries.older')}
                      </Button>
                    )}
                  </Group>
                </Stack>
              )
            }
          </QueryView>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Card withBorder radius="md">
            {selected ? <InquiryDetail id={selected} /> : <Text c="dimmed">{t('customerInquiries.pick')}</Text>}
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
