/** /action-items (issue 16): every action item one may see, with the filters mine and overdue; create one. */
import { Button, Chip, Group, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { QueryView } from '../../ui/query-view.js';
import { NewActionItemDrawer } from './action-item-form.js';
import { ActionItemsTable } from './action-items-table.js';
import { useActionItems } from './reviews-api.js';

export function ActionItemsPage() {
  const { t } = useTranslation();
  const canRead = useCan('action_item.read');
  const mayWrite = useCan('action_item.write');
  const [mine, setMine] = useState(false);
  const [overdue, setOverdue] = useState(false);
  const [active, setActive] = useState(true);
  const [creating, setCreating] = useState(false);
  const items = useActionItems({ mine, overdue, status: active ? 'active' : undefined });
  usePageTitle(t('actionItems.title'));
  if (!canRead) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="action-items-page">
      <Group justify="space-between">
        <Title order={2}>{t('actionItems.title')}</Title>
        {mayWrite && (
          <Button onClick={() => setCreating(true)} data-testid="action-item-new">
            {t('actionItems.new')}
          </Button>
        )}
      </Group>
      <Group gap="xs">
        <Chip checked={mine} onChange={setMine} data-testid="filter-mine">
          {t('actionItems.filter.mine')}
        </Chip>
        <Chip checked={overdue} onChange={setOverdue} data-testid="filter-overdue">
          {t('actionItems.filter.overdue')}
        </Chip>
        <Chip checked={active} onChange={setActive} data-testid="filter-active">
          {t('actionItems.filter.active')}
        </Chip>
      </Group>
      <QueryView query={items}>{(list) => <ActionItemsTable items={list} showIncident />}</QueryView>
      {creating && <NewActionItemDrawer source={{ kind: 'none' }} onClose={() => setCreating(false)} />}
    </Stack>
  );
}
