/** The war room's customer-inquiry card: volume per hour (bars), SLA breaches, CSAT, top topics. */
import { Badge, Box, Card, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QueryView } from '../../ui/query-view.js';
import { useInquiryStats } from './inquiries-api.js';
import { topicLabel } from './inquiry-badges.js';

export function InquiryStatsCard({ incidentKey }: { incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const stats = useInquiryStats(incidentKey);
  return (
    <Card withBorder radius="md" data-testid="inquiry-stats">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('customerInquiries.card')}</Title>
          <Text size="sm" component={Link} to="/inquiries" c="blue">
            {t('customerInquiries.openInbox')}
          </Text>
        </Group>
        <QueryView query={stats} compact>
          {(s) => {
            const max = Math.max(1, ...s.perHour.map((h) => h.count));
            return (
              <Stack gap="xs">
                <Group gap="xs">
                  <Badge variant="light" color="indigo" data-testid="stats-total">
                    {t('customerInquiries.total', { count: s.total })}
                  </Badge>
                  <Badge variant="light" color="blue">
                    {t('customerInquiries.openN', { count: s.open })}
                  </Badge>
                  <Badge
                    variant={s.slaBreaches ? 'filled' : 'light'}
                    color={s.slaBreaches ? 'red' : 'gray'}
                    data-testid="stats-breaches"
                  >
                    {t('customerInquiries.breaches', { count: s.slaBreaches })}
                  </Badge>
                  <Badge variant="light" color="teal">
                    {s.csat.average === null
                      ? t('customerInquiries.noCsat')
                      : t('customerInquiries.csat', { average: s.csat.average.toFixed(1), count: s.csat.responses })}
                  </Badge>
                </Group>
                <Box>
                  <Text size="xs" c="dimmed">
                    {t('customerInquiries.perHour')}
                  </Text>
                  <Group gap={2} align="end" h={48} wrap="nowrap" aria-label={t('customerInquiries.perHour')}>
                    {s.perHour.map((h) => (
                      <Tooltip
                        key={h.hour}
                        label={`${new Date(h.hour).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' })}: ${h.count}`}
                      >
                        <Box
                          style={{ flex: 1, minWidth: 3, borderRadius: 2 }}
                          h={Math.max(2, Math.round((h.count / max) * 48))}
                          bg={h.count ? 'blue.5' : 'gray.2'}
                        />
                      </Tooltip>
                    ))}
                  </Group>
                </Box>
                {s.topTopics.length > 0 && (
                  <Group gap={6}>
                    <Text size="xs" c="dimmed">
                      {t('customerInquiries.topTopics')}
                    </Text>
                    {s.topTopics.map((x) => (
                      <Badge key={x.topic} variant="dot" color="indigo">
                        {topicLabel(t, x.topic)} {x.count}
                      </Badge>
                    ))}
                  </Group>
                )}
              </Stack>
            );
          }}
        </QueryView>
      </Stack>
    </Card>
  );
}
