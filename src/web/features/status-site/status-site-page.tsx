/**
 * The status site's management at /status-site: services and their public states, groups, scheduled
 * maintenance, the published announcements (read-only: only publishing a statement writes them) and the
 * subscribers; a link to the public page.
 */
import { Anchor, Badge, Button, Card, Grid, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { ComponentsCard } from './components-card.js';
import { GroupsCard } from './groups-card.js';
import { MaintenanceCard } from './maintenance-card.js';
import { pickZhEn } from '../../ui/localized.js';
import { useAnnouncements } from './status-site-api.js';
import { SubscribersCard } from './subscribers-card.js';

function AnnouncementsCard() {
  const { t, i18n } = useTranslation();
  const query = useAnnouncements(true);
  return (
    <Card withBorder radius="md" data-testid="status-announcements">
      <Stack gap="sm">
        <Title order={4}>{t('statusSite.announcements')}</Title>
        <Text size="xs" c="dimmed">
          {t('statusSite.announcementsHint')}
        </Text>
        <QueryView query={query} compact keepOnError>
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState compact>{t('statusSite.noAnnouncements')}</EmptyState>
            ) : (
              <Table.ScrollContainer minWidth={520}>
                <Table verticalSpacing={4}>
                  <Table.Tbody>
                    {page.items.map((a) => (
                      <Table.Tr key={a.id} data-testid="announcement" data-slug={a.slug}>
                        <Table.Td>
                          <Anchor href={a.url} target="_blank" rel="noopener" size="sm" className="tocsin-break">
                            {pickZhEn(a.title, i18n.language)}
                          </Anchor>
                          <Text size="xs" c="dimmed">
                            {a.slug} · {formatDateTime(a.publishedAt, i18n.language)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge size="sm" variant="light" color={a.status === 'resolved' ? 'teal' : 'orange'}>
                            {t(`statusSite.announcementStatus.${a.status}`)}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryView>
      </Stack>
    </Card>
  );
}

export function StatusSitePage() {
  const { t } = useTranslation();
  const allowed = useCan('status.read');
  const canManage = useCan('status.manage');
  const canReadSubscribers = useCan('subscriber.read');
  const canManageSubscribers = useCan('subscriber.manage');
  usePageTitle(t('statusSite.title'));
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="status-site-page">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4} maw={820}>
          <Title order={2}>{t('statusSite.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('statusSite.intro')}
          </Text>
        </Stack>
        <Button
          component="a"
          href="/status"
          target="_blank"
          rel="noopener"
          variant="light"
          data-testid="open-public-page"
        >
          {t('statusSite.openPublic')}
        </Button>
      </Group>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <ComponentsCard canManage={canManage} />
            <MaintenanceCard canManage={canManage} />
            <AnnouncementsCard />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            {canReadSubscribers && <SubscribersCard canManage={canManageSubscribers} />}
            <GroupsCard canManage={canManage} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
