/** Owner pools for those who manage owners: branch pools and tier queues, their members set in place. */
import { useState } from 'react';
import { Button, Card, Group, MultiSelect, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { useUsers } from '../users/users-api.js';
import { usePools, useSavePool } from './owners-api.js';

export function PoolsCard() {
  const { t } = useTranslation();
  const canManage = useCan('owner.manage');
  const pools = usePools(canManage);
  const users = useUsers(canManage);
  const save = useSavePool();
  const [kind, setKind] = useState<'branch' | 'tier'>('branch');
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  if (!canManage) return null;
  const options = (users.data ?? []).filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.name }));
  return (
    <Card withBorder radius="md" data-testid="owner-pools">
      <Stack gap="sm">
        <Title order={4}>{t('ownerPools.title')}</Title>
        <QueryView query={pools} compact keepOnError>
          {(items) =>
            items.length === 0 ? (
              <EmptyState compact>{t('ownerPools.empty')}</EmptyState>
            ) : (
              <Table withRowBorders={false} verticalSpacing={2}>
                <Table.Tbody>
                  {items.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Td>{t(`ownerPools.kinds.${p.kind}`)}</Table.Td>
                      <Table.Td>{p.name}</Table.Td>
                      <Table.Td>{p.users.map((u) => u.name ?? u.id).join(', ')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryView>
        <Group align="flex-end" gap="xs" wrap="wrap">
          <Select
            label={t('ownerPools.kind')}
            data={(['branch', 'tier'] as const).map((k) => ({ value: k, label: t(`ownerPools.kinds.${k}`) }))}
            value={kind}
            onChange={(v) => setKind(v === 'tier' ? 'tier' : 'branch')}
            w={130}
            comboboxProps={{ withinPortal: false }}
          />
          <TextInput
            label={t('ownerPools.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            w={160}
          />
          <MultiSelect
            label={t('ownerPools.members')}
            data={options}
            value={members}
            onChange={setMembers}
            searchable
            flex={1}
            comboboxProps={{ withinPortal: false }}
          />
          <Button
            size="sm"
            variant="light"
            disabled={!name.trim()}
            loading={save.isPending}
            onClick={() =>
              save.mutate(
                { kind, name: name.trim(), userIds: members },
                {
                  onSuccess: () => {
                    setName('');
                    setMembers([]);
                  },
                },
              )
            }
          >
            {t('ownerPools.save')}
          </Button>
        </Group>
        {save.error && <ProblemAlert error={save.error} />}
      </Stack>
    </Card>
  );
}
