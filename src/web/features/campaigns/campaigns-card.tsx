/** The war room's "Customer notices" card: the incident's campaigns with their state, and a new one. */
import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { NewCampaignModal } from './campaign-form.js';
import { useIncidentCampaigns } from './campaigns-api.js';

export const STATE_COLORS: Record<string, string> = {
  draft: 'gray',
  fanning_out: 'blue',
  running: 'blue',
  paused: 'yellow',
  done: 'green',
  cancelled: 'red',
};

export function CampaignsCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canRead = useCan('campaign.read');
  const canManage = useCan('campaign.manage');
  const campaigns = useIncidentCampaigns(incidentKey);
  const [creating, setCreating] = useState(false);
  if (!canRead) return null;
  return (
    <Card withBorder radius="md" data-testid="campaigns-card">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={4}>{t('campaigns.title')}</Title>
          {canManage && (
            <Button size="xs" variant="light" onClick={() => setCreating(true)} data-testid="campaign-new">
              {t('campaigns.newShort')}
            </Button>
          )}
        </Group>
        <QueryView query={campaigns} compact keepOnError>
          {(items) =>
            items.length === 0 ? (
              <EmptyState compact>{t('campaigns.empty')}</EmptyState>
            ) : (
              <Stack gap="xs">
                {items.map((c) => (
                  // The name on a line of its own: in the war room's narrow column a long name beside the
                  // state squeezed the badge down to its first letter.
                  <Stack key={c.id} gap={2}>
                    <Anchor component={Link} to={`/campaigns/${c.id}`} size="sm" data-testid="campaign-link">
                      {c.name}
                    </Anchor>
                    <Group gap={6} wrap="nowrap">
                      <Badge size="sm" variant="light" color={STATE_COLORS[c.state]}>
                        {t(`campaigns.state.${c.state}`)}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {t('campaigns.messageCount', { count: c.messageCount })}
                      </Text>
                    </Group>
                  </Stack>
                ))}
              </Stack>
            )
          }
        </QueryView>
      </Stack>
      {creating && <NewCampaignModal incidentKey={incidentKey} onClose={() => setCreating(false)} />}
    </Card>
  );
}
