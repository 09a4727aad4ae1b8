/** The incident's task checklist: tick done, change status, see owner and due time; add new tasks. */
import { Card, Checkbox, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TaskStatus } from '../../../shared/enums.js';
import { useCan } from '../../app/session.js';
import type { Task } from '../../app/types.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { pick } from '../../ui/localized.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { useNow } from '../../ui/use-now.js';
import { TaskCreateForm } from './task-create-form.js';
import { useTasks, useUpdateTask } from './war-room-api.js';

function TaskRow({ task, incidentKey, canWrite }: { task: Task; incidentKey: string; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const options = useEnumOptions();
  const update = useUpdateTask(incidentKey);
  const now = useNow(30_000);
  const finished = task.status === 'done' || task.status === 'cancelled';
  const overdue = !finished && task.dueAt !== null && Date.parse(task.dueAt) < now;
  const setStatus = (status: TaskStatus) => update.mutate({ id: task.id, status });
  const who = [task.owner?.name, task.ownerRole ? t(`participantRole.${task.ownerRole}`) : null]
    .filter(Boolean)
    .join(' · ');

  return (
    <Stack gap={4} data-testid="task" data-status={task.status}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Checkbox
          checked={task.status === 'done'}
          disabled={!canWrite}
          onChange={(e) => setStatus(e.currentTarget.checked ? 'done' : 'open')}
          label={
            <Text
              size="sm"
              td={finished ? 'line-through' : undefined}
              c={finished ? 'dimmed' : undefined}
              className="tocsin-break"
            >
              {pick(task.plan?.titleI18n, i18n.language, task.title)}
            </Text>
          }
          data-testid="task-done"
          style={{ minWidth: 0, flex: 1 }}
        />
        <Select
          size="xs"
          w={116}
          data={options.taskStatuses}
          value={task.status}
          disabled={!canWrite}
          allowDeselect={false}
          onChange={(v) => v && setStatus(v as TaskStatus)}
          aria-label={t('tasks.status')}
          data-testid="task-status"
        />
      </Group>
      {(who || task.dueAt) && (
        <Text size="xs" c={overdue ? 'red' : 'dimmed'} pl={28}>
          {who}
          {who && task.dueAt ? ' · ' : ''}
          {task.dueAt && `${t('tasks.dueAt')} ${formatDateTime(task.dueAt, i18n.language)}`}
          {overdue && ` · ${t('tasks.overdue')}`}
        </Text>
      )}
      <ProblemAlert error={update.error} />
    </Stack>
  );
}

export function TasksCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canWrite = useCan('task.write');
  const tasks = useTasks(incidentKey);
  const items = tasks.data?.items ?? [];
  const done = items.filter((x) => x.status === 'done').length;
  return (
    <Card withBorder radius="md" data-testid="tasks">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('tasks.title')}</Title>
          {items.length > 0 && (
            <Text size="sm" c="dimmed">
              {t('tasks.progress', { done, total: items.length })}
            </Text>
          )}
        </Group>
        <QueryView query={tasks} keepOnError compact>
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState compact>{t('tasks.empty')}</EmptyState>
            ) : (
              page.items.map((task) => (
                <TaskRow key={task.id} task={task} incidentKey={incidentKey} canWrite={canWrite} />
              ))
            )
          }
        </QueryView>
        {canWrite && <TaskCreateForm incidentKey={incidentKey} />}
      </Stack>
    </Card>
  );
}
