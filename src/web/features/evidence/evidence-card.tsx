/** The war room's "Evidence (N)" card: how many items the locker holds, how many on hold, and the way to it. */
import { Anchor, Card, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.js';
import { QueryView } from '../../ui/query-view.js';
import { useEvidenceList } from './evidence-api.js';

export function EvidenceCard({ incidentKey }: { incidentKey: string }) {
  const canRead = useCan('evidence.read');
  if (!canRead) return null;
  return <Counts incidentKey={incidentKey} />;
}

function Counts({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const list = useEvidenceList(incidentKey);
  const n = list.data?.items.length;
  return (
    <Card withBorder radius="md" data-testid="evidence-card">
      <Group justify="space-between" gap="xs">
        <Title order={4}>{n === undefined ? t('evidence.title') : t('evidence.titleCount', { count: n })}</Title>
        <Anchor
          component={Link}
          to={`/incidents/${encodeURIComponent(incidentKey)}/evidence`}
          size="sm"
          data-testid="evidence-open"
        >
          {t('evidence.openLocker')}
        </Anchor>
      </Group>
      <QueryView query={list} compact keepOnError>
        {(l) => (
          <Text size="xs" c="dimmed" mt={4}>
            {t('evidence.cardSummary', {
              held: l.items.filter((i) => i.legalHold).length,
              mismatched: l.items.filter((i) => i.hashMismatch).length,
            })}
          </Text>
        )}
      </QueryView>
    </Card>
  );
}
