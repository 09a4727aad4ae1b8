/** Who is working the incident and in which role; commanders and admins add and remove people. */
import { useState } from 'react';
import { Badge, Button, Card, CloseButton, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ParticipantRole } from '../../../shared/enums.js';
import { useCan } from '../../app/session.js';
import type { Incident } from '../../app/types.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useUsers } from '../users/users-api.js';
import { useAddParticipant, useRemoveParticipant } from './war-room-api.js';

export function ParticipantsCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const canManage = useCan('incident.participants');
  const options = useEnumOptions();
  const users = useUsers(canManage);
  const add = useAddParticipant(incident.key);
  const remove = useRemoveParticipant(incident.key);
  const [userId, setUserId] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);

  const submit = () => {
    if (!userId || !role) return;
    add.mutate({ userId, role: role as ParticipantRole }, { onSuccess: () => setUserId(null) });
  };

  return (
    <Card withBorder radius="md" data-testid="participants">
      <Stack gap="sm">
        <Title order={4}>{t('participants.title')}</Title>
        {incident.participants.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('participants.empty')}
          </Text>
        )}
        {incident.participants.map((p) => (
          <Group key={`${p.userId}:${p.role}`} justify="space-between" wrap="nowrap" data-testid="participant">
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={500} truncate>
                {p.name}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {p.email}
              </Text>
            </div>
            <Group gap={4} wrap="nowrap">
              <Badge variant="light">{t(`participantRole.${p.role}`)}</Badge>
              {canManage && (
                <CloseButton
                  size="sm"
                  aria-label={t('participants.remove', { name: p.name })}
                  onClick={() => remove.mutate({ userId: p.userId, role: p.role })}
                  data-testid="participant-remove"
                />
              )}
            </Group>
          </Group>
        ))}
        <ProblemAlert error={remove.error} />
        {canManage && (
          <Stack gap="xs">
            <Select
              placeholder={t('participants.user')}
              aria-label={t('participants.user')}
              searchable
              data={(users.data ?? [])
                .filter((u) => !u.disabled)
                .map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }))}
              value={userId}
              onChange={setUserId}
              data-testid="participant-user"
            />
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Select
                placeholder={t('participants.role')}
                aria-label={t('participants.role')}
                data={options.participantRoles}
                value={role}
                onChange={setRole}
                style={{ flex: 1 }}
                data-testid="participant-role"
              />
              <Button
                onClick={submit}
                disabled={!userId || !role}
                loading={add.isPending}
                data-testid="participant-add"
              >
                {t('common.add')}
              </Button>
            </Group>
            <ProblemAlert error={add.error} />
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
