/** Add a task with an optional owner (a person or a role) and a due time. */
import { useState, type FormEvent } from 'react';
import { Button, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ParticipantRole } from '../../../shared/enums.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { localInputToIso } from '../../ui/time.js';
import { useUsers } from '../users/users-api.js';
import { useCreateTask } from './war-room-api.js';

export function TaskCreateForm({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const users = useUsers();
  const create = useCreateTask(incidentKey);
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const [due, setDue] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return;
    create.mutate(
      {
        title: title.trim(),
        ownerUserId: owner ?? undefined,
        ownerRole: (role as ParticipantRole | null) ?? undefined,
        dueAt: localInputToIso(due),
      },
      {
        onSuccess: () => {
          setTitle('');
          setDue('');
        },
      },
    );
  };

  return (
    <form onSubmit={submit} data-testid="task-form">
      <Stack gap="xs">
        <TextInput
          placeholder={t('tasks.new')}
          aria-label={t('tasks.new')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={fieldError(create.error, 'title')}
          data-testid="task-title"
        />
        <SimpleGrid cols={2} spacing="xs">
          <Select
            placeholder={t('tasks.owner')}
            aria-label={t('tasks.owner')}
            clearable
            searchable
            data={(users.data ?? []).filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.name }))}
            value={owner}
            onChange={setOwner}
            data-testid="task-owner"
          />
          <Select
            placeholder={t('tasks.role')}
            aria-label={t('tasks.role')}
            clearable
            data={options.participantRoles}
            value={role}
            onChange={setRole}
            data-testid="task-role"
          />
        </SimpleGrid>
        <TextInput
          type="datetime-local"
          aria-label={t('tasks.due')}
          title={t('tasks.due')}
          leftSection={
            <Text size="xs" c="dimmed">
              {t('tasks.due')}
            </Text>
          }
          leftSectionWidth={72}
          value={due}
          onChange={(e) => setDue(e.currentTarget.value)}
          error={fieldError(create.error, 'dueAt')}
          data-testid="task-due"
        />
        <ProblemAlert error={create.error} />
        <Button type="submit" size="xs" disabled={!title.trim()} loading={create.isPending} data-testid="task-add">
          {t('tasks.add')}
        </Button>
      </Stack>
    </form>
  );
}
