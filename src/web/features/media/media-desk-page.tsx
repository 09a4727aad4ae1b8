/**
 * The media desk at /media: media inquiries across incidents, overdue ones first and outlined in red,
 * filtered by state; and the site-wide rumor-vs-fact register (an incident's own is in its war room).
 */
import { useState } from 'react';
import { Badge, Card, Grid, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { FactRegister } from './fact-register.js';
import { InquiryItem } from './inquiry-item.js';
import { useInquiries } from './media-api.js';
import { INQUIRY_STATES, overdueFirst } from './media-parts.js';
import { WHOLE } from '../status-site/status-parts.js';

function InquiriesList() {
  const { t } = useTranslation();
  const canManage = useCan('media.manage');
  const [state, setState] = useState<string>('open');
  const inquiries = useInquiries(state === 'all' ? undefined : state);
  const overdue = inquiries.data?.filter((i) => i.overdue).length ?? 0;
  return (
    <Card withBorder radius="md" data-testid="desk-inquiries">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={4}>{t('mediaDesk.inquiries')}</Title>
            {overdue > 0 && (
              <Badge color="red" variant="filled" data-testid="desk-overdue-count" {...WHOLE} data-n={overdue}>
                {t('inquiries.overdueCount', { count: overdue })}
              </Badge>
            )}
          </Group>
          <SegmentedControl
            size="xs"
            value={state}
            onChange={setState}
            data={[
              ...INQUIRY_STATES.map((s) => ({ value: s, label: t(`inquiries.states.${s}`) })),
              { value: 'all', label: t('common.all') },
            ]}
            data-testid="desk-state-filter"
          />
        </Group>
        <QueryView query={inquiries} keepOnError>
          {(items) =>
            items.length === 0 ? (
              <EmptyState testId="desk-inquiries-empty">{t('mediaDesk.noInquiries')}</EmptyState>
            ) : (
              <Stack gap="xs">
                {overdueFirst(items).map((i) => (
                  <InquiryItem key={i.id} inquiry={i} canManage={canManage} showIncident />
                ))}
              </Stack>
            )
          }
        </QueryView>
      </Stack>
    </Card>
  );
}

export function MediaDeskPage() {
  const { t } = useTranslation();
  const [scope, setScope] = useState<'site' | 'all'>('site');
  const allowed = useCan('media.read');
  usePageTitle(t('mediaDesk.title'));
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="media-desk-page">
      <Stack gap={4} maw={820}>
        <Title order={2}>{t('mediaDesk.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('mediaDesk.intro')}
        </Text>
      </Stack>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <InquiriesList />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder radius="md" data-testid="desk-register">
            <Stack gap="sm">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Title order={4}>{t(scope === 'all' ? 'mediaDesk.registerAll' : 'mediaDesk.register')}</Title>
                <SegmentedControl
                  size="xs"
                  value={scope}
                  onChange={(v) => setScope(v as 'site' | 'all')}
                  data={[
                    { value: 'site', label: t('mediaDesk.scopeSite') },
                    { value: 'all', label: t('mediaDesk.scopeAll') },
                  ]}
                  data-testid="desk-register-scope"
                />
              </Group>
              <Text size="xs" c="dimmed">
                {t(scope === 'all' ? 'mediaDesk.registerAllHint' : 'mediaDesk.registerHint')}
              </Text>
              <FactRegister key={scope} incidentKey={null} all={scope === 'all'} />
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
