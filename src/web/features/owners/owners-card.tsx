/**
 * The war room's "Customer owners" card: assign owners from an affected set's id or customer numbers,
 * counts per owner (open, overdue), and each customer with their owner, SLA and a reassign control.
 */
import { useState } from 'react';
import { Badge, Button, Card, Group, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { useUsers } from '../users/users-api.js';
import { CustomerLine, SlaBadge } from './owner-parts.js';
import { type OwnerAssignment, useAssign, useIncidentOwners, useReassign } from './owners-api.js';

function AssignForm({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const assign = useAssign(incidentKey);
  const [numbers, setNumbers] = useState('');
  const [setId, setSetId] = useState('');
  const nos = numbers.split(/[\s,，;；]+/).filter(Boolean);
  return (
    <Stack gap="xs" data-testid="owners-assign">
      <Group align="flex-end" gap="xs" wrap="wrap">
        <Textarea
          label={t('owners.customerNos')}
          value={numbers}
          onChange={(e) => setNumbers(e.currentTarget.value)}
          autosize
          minRows={1}
          flex={1}
          data-testid="owners-assign-nos"
        />
        <TextInput label={t('owners.setId')} value={setId} onChange={(e) => setSetId(e.currentTarget.value)} w={140} />
        <Button
          size="sm"
          loading={assign.isPending}
          disabled={nos.length === 0 && !setId.trim()}
          onClick={() =>
            assign.mutate(setId.trim() ? { setId: setId.trim() } : { customerNos: nos }, {
              onSuccess: () => {
                setNumbers('');
                setSetId('');
              },
            })
          }
          data-testid="owners-assign-go"
        >
          {t('owners.assign')}
        </Button>
      </Group>
      {assign.data && (
        <Text size="sm" data-testid="owners-assign-result">
          {t('owners.assignResult', {
            assigned: assign.data.assigned,
            kept: assign.data.kept,
            unknown: assign.data.unknown.length,
            unassigned: assign.data.unassigned.length,
          })}
        </Text>
      )}
      {assign.error && <ProblemAlert error={assign.error} />}
    </Stack>
  );
}

function ReassignControl({ incidentKey, a }: { incidentKey: string; a: OwnerAssignment }) {
  const { t } = useTranslation();
  const users = useUsers();
  const reassign = useReassign(incidentKey);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  return (
    <Group gap={4} wrap="nowrap">
      <Select
        size="xs"
        placeholder={t('owners.reassignTo')}
        data={(users.data ?? [])
          .filter((u) => !u.disabled && u.id !== a.owner.id)
          .map((u) => ({ value: u.id, label: u.name }))}
        value={ownerId}
        onChange={setOwnerId}
        searchable
        w={130}
        comboboxProps={{ withinPortal: false }}
      />
      <TextInput
        size="xs"
        placeholder={t('owners.reason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        w={110}
      />
      <Button
        size="xs"
        variant="light"
        disabled={!ownerId || !reason.trim()}
        loading={reassign.isPending}
        onClick={() =>
          reassign.mutate({ customerId: a.customer.id, ownerId: ownerId!, reason }, { onSuccess: () => setReason('') })
        }
      >
        {t('owners.reassign')}
      </Button>
    </Group>
  );
}

export function OwnersCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canRead = useCan('owner.read');
  const canManage = useCan('owner.assign');
  const owners = useIncidentOwners(incidentKey, canRead);
  if (!canRead) return null;
  return (
    <Card withBorder radius="md" data-testid="owners-card">
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={4}>{t('owners.title')}</Title>
          {(owners.data?.overdue ?? 0) > 0 && (
            <Badge color="red" variant="filled" data-testid="owners-overdue">
              {t('owners.overdueCount', { count: owners.data!.overdue })}
            </Badge>
          )}
        </Group>
        {canManage && <AssignForm incidentKey={incidentKey} />}
        <QueryView query={owners} compact keepOnError>
          {(d) =>
            d.items.length === 0 ? (
              <EmptyState compact>{t('owners.empty')}</EmptyState>
            ) : (
              <Stack gap="xs">
                <Table withRowBorders={false} verticalSpacing={2} data-testid="owners-per-owner">
                  <Table.Tbody>
                    {d.perOwner.map((o) => (
                      <Table.Tr key={o.owner.id}>
                        <Table.Td>{o.owner.name ?? o.owner.id}</Table.Td>
                        <Table.Td>{t('owners.openCount', { count: o.open })}</Table.Td>
                        <Table.Td c={o.overdue > 0 ? 'red' : undefined}>
                          {t('owners.overdueCount', { count: o.overdue })}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {d.items.map((a) => (
                  <Stack key={a.customer.id} gap={2} data-testid="owners-item" data-customer={a.customer.customerNo}>
                    <Group justify="space-between" gap="xs" wrap="wrap">
                      <CustomerLine a={a} />
                      <SlaBadge a={a} />
                    </Group>
                    <Group justify="space-between" gap="xs" wrap="wrap">
                      <Text size="sm" c="dimmed">
                        {t('owners.ownedBy', { name: a.owner.name ?? a.owner.id, rule: t(`owners.rules.${a.rule}`) })}
                      </Text>
                      {canManage && <ReassignControl incidentKey={incidentKey} a={a} />}
                    </Group>
                  </Stack>
                ))}
              </Stack>
            )
          }
        </QueryView>
      </Stack>
    </Card>
  );
}
