/** The war room's link to the incident's post-incident review. */
import { Anchor, Card, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.js';

export function ReviewCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canRead = useCan('review.read');
  if (!canRead) return null;
  return (
    <Card withBorder radius="md" data-testid="review-card">
      <Group justify="space-between" gap="xs">
        <Title order={4}>{t('reviews.title')}</Title>
        <Anchor
          component={Link}
          to={`/incidents/${encodeURIComponent(incidentKey)}/review`}
          size="sm"
          data-testid="review-open"
        >
          {t('reviews.openPage')}
        </Anchor>
      </Group>
      <Text size="xs" c="dimmed">
        {t('reviews.cardHint')}
      </Text>
    </Card>
  );
}
