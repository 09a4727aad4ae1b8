/** A table of action items: title, owner, due (overdue in red), priority, status with the moves allowed; edit opens the drawer. */
import { Anchor, Badge, Button, Group, Menu, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { formatDateTime } from '../../ui/time.js';
import { ActionItemDrawer } from './action-item-form.js';
import {
  ACTION_ITEM_TRANSITIONS,
  type ActionItem,
  type ActionItemStatus,
  useActionItemMutations,
} from './reviews-api.js';

const STATUS_COLOR: Record<ActionItemStatus, string> = {
  open: 'blue',
  in_progress: 'yellow',
  done: 'green',
  accepted_risk: 'grape',
  cancelled: 'gray',
};

export function ActionItemsTable({ items, showIncident = false }: { items: ActionItem[]; showIncident?: boolean }) {
  const { t, i18n } = useTranslation();
  const mayWrite = useCan('action_item.write');
  const mayAccept = useCan('action_item.accept_risk');
  const m = useActionItemMutations();
  const [editing, setEditing] = useState<ActionItem | null>(null);
  const [asking, setAsking] = useState<{ item: ActionItem; to: ActionItemStatus } | null>(null);
  const [reason, setReason] = useState('');
  if (!items.length)
    return (
      <Text size="sm" c="dimmed" data-testid="action-items-empty">
        {t('actionItems.empty')}
      </Text>
    );
  const move = (item: ActionItem, to: ActionItemStatus) => {
    if (to === 'accepted_risk' || to === 'cancelled') {
      setReason('');
      setAsking({ item, to });
    } else m.transition.mutate({ id: item.id, to });
  };
  return (
    <>
      <Table.ScrollContainer minWidth={640}>
        <Table striped data-testid="action-items-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('actionItems.field.title')}</Table.Th>
              {showIncident && <Table.Th>{t('actionItems.incident')}</Table.Th>}
              <Table.Th>{t('actionItems.field.owner')}</Table.Th>
              <Table.Th>{t('actionItems.field.due')}</Table.Th>
              <Table.Th>{t('actionItems.field.priority')}</Table.Th>
              <Table.Th>{t('actionItems.status.label')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.id} data-testid="action-item-row" data-status={i.status}>
                <Table.Td>
                  <Text size="sm" className="tocsin-break">
                    {i.title}
                  </Text>
                  {i.reason && (
                    <Text size="xs" c="dimmed">
                      {i.reason}
                      {i.acceptedBy ? ` — ${i.acceptedBy.name}` : ''}
                    </Text>
                  )}
                  {i.treats && (
                    <Text size="xs" c="dimmed">
                      {t(`actionItems.treats.${i.treats.kind}`)} {i.treats.id}
                    </Text>
                  )}
                </Table.Td>
                {showIncident && (
                  <Table.Td>
                    {i.incidentKey ? (
                      <Anchor component={Link} to={`/incidents/${encodeURIComponent(i.incidentKey)}/review`} size="sm">
                        {i.incidentKey}
                      </Anchor>
                    ) : (
                      t(`actionItems.source.${i.source.kind}`)
                    )}
                  </Table.Td>
                )}
                <Table.Td>{i.owner.name}</Table.Td>
                <Table.Td>
                  <Text size="sm" c={i.overdue ? 'red' : undefined} data-testid="action-item-due">
                    {formatDateTime(i.dueAt, i18n.language)}
                    {i.overdue ? ` · ${t('actionItems.overdue')}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>{t(`actionItems.priority.${i.priority}`)}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[i.status]} data-testid="action-item-status">
                    {t(`actionItems.status.${i.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {mayWrite && (
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(i)}>
                        {t('actionItems.edit')}
                      </Button>
                      <Menu>
                        <Menu.Target>
                          <Button size="compact-xs" variant="light" data-testid="action-item-move">
                            {t('actionItems.move')}
                          </Button>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {ACTION_ITEM_TRANSITIONS[i.status]
                            .filter((to) => to !== 'accepted_risk' || mayAccept)
                            .map((to) => (
                              <Menu.Item key={to} onClick={() => move(i, to)} data-testid={`action-item-to-${to}`}>
                                {t(`actionItems.status.${to}`)}
                              </Menu.Item>
                            ))}
                        </Menu.Dropdown>
                      </Menu>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ProblemAlert error={m.transition.error} />
      {editing && (
        <ActionItemDrawer
          item={editing}
          pending={m.update.isPending}
          error={m.update.error}
          onClose={() => setEditing(null)}
          onSubmit={(body) =>
            m.update.mutate(
              { id: editing.id, body: { ...body, version: editing.version } },
              { onSuccess: () => setEditing(null) },
            )
          }
        />
      )}
      {asking && (
        <Modal opened onClose={() => setAsking(null)} title={t(`actionItems.status.${asking.to}`)}>
          <Stack gap="sm">
            <Textarea
              label={t('actionItems.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={2000}
              required
              data-testid="action-item-reason"
            />
            <ProblemAlert error={m.transition.error} />
            <Group justify="flex-end">
              <Button
                disabled={!reason.trim()}
                loading={m.transition.isPending}
                onClick={() =>
                  m.transition.mutate(
                    { id: asking.item.id, to: asking.to, reason: reason.trim() },
                    { onSuccess: () => setAsking(null) },
                  )
                }
                data-testid="action-item-reason-save"
              >
                {t('actionItems.save')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </>
  );
}
