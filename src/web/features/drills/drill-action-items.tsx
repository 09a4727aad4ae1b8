/**
 * The drill's after-action items on its page: the action items whose source is this drill (the same
 * items as on /action-items, with their states and owners), and a new one made with that source.
 */
import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { QueryView } from '../../ui/query-view.js';
import { NewActionItemDrawer } from '../reviews/action-item-form.js';
import { ActionItemsTable } from '../reviews/action-items-table.js';
import { useActionItems } from '../reviews/reviews-api.js';

export function DrillActionItems({ drillId }: { drillId: string }) {
  const { t } = useTranslation();
  const mayRead = useCan('action_item.read');
  const mayWrite = useCan('action_item.write');
  const [creating, setCreating] = useState(false);
  const items = useActionItems({ source: 'drill', sourceId: drillId }, mayRead);
  if (!mayRead) return null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="drill-action-items">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>{t('actionItems.title')}</Title>
          {mayWrite && (
            <Button size="xs" onClick={() => setCreating(true)} data-testid="drill-action-item-new">
              {t('actionItems.new')}
            </Button>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {t('drills.actionItems')}
        </Text>
        <QueryView query={items}>{(list) => <ActionItemsTable items={list} />}</QueryView>
      </Stack>
      {creating && <NewActionItemDrawer source={{ kind: 'drill', id: drillId }} onClose={() => setCreating(false)} />}
    </Paper>
  );
}
