/** The war room's link to the incident's investigation report. */
import { Anchor, Card, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.js';

export function InvestigationReportCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canRead = useCan('investigation.read');
  if (!canRead) return null;
  return (
    <Card withBorder radius="md" data-testid="investigation-report-card">
      <Group justify="space-between" gap="xs">
        <Title order={4}>{t('investigationReport.title')}</Title>
        <Anchor
          component={Link}
          to={`/incidents/${encodeURIComponent(incidentKey)}/investigation-report`}
          size="sm"
          data-testid="investigation-report-open"
        >
          {t('investigationReport.open')}
        </Anchor>
      </Group>
      <Text size="xs" c="dimmed">
        {t('investigationReport.cardHint')}
      </Text>
    </Card>
  );
}
