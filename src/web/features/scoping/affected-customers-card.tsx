/**
 * The war room's "Affected customers": the incident's sets (the primary or largest one sets the
 * incident's customers affected), the query builder, a set's members by version, and the difference
 * between two versions.
 */
import { useState } from 'react';
import { Badge, Button, Card, Group, Modal, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { MembersTable } from './members-table.js';
import { ScopeBuilder } from './scope-builder.js';
import {
  type AffectedSet,
  useAffectedSet,
  useAffectedSets,
  useDiff,
  useMembers,
  useRefreshSet,
} from './scoping-api.js';

function DiffView({ set }: { set: AffectedSet }) {
  const { t } = useTranslation();
  const versions = set.versions.map((v) => String(v.version));
  const [from, setFrom] = useState<string | null>(versions[1] ?? null);
  const [to, setTo] = useState<string | null>(versions[0] ?? null);
  const diff = useDiff(set.id, Number(from), Number(to), !!from && !!to && from !== to);
  if (versions.length < 2) return null;
  return (
    <Stack gap="xs" data-testid="scope-diff">
      <Group align="flex-end">
        <Title order={5}>{t('scoping.diff')}</Title>
        <Select
          label={t('scoping.fromVersion')}
          data={versions}
          value={from}
          onChange={setFrom}
          w={110}
          comboboxProps={{ withinPortal: false }}
          data-testid="diff-from"
        />
        <Select
          label={t('scoping.toVersion')}
          data={versions}
          value={to}
          onChange={setTo}
          w={110}
          comboboxProps={{ withinPortal: false }}
          data-testid="diff-to"
        />
      </Group>
      {diff.data && (
        <>
          <Text size="sm" fw={600} c="green" data-testid="diff-added-count">
            {t('scoping.added', { count: diff.data.addedCount })}
          </Text>
          <MembersTable items={diff.data.added} testId="diff-added" />
          <Text size="sm" fw={600} c="red" data-testid="diff-removed-count">
            {t('scoping.removed', { count: diff.data.removedCount })}
          </Text>
          <MembersTable items={diff.data.removed} testId="diff-removed" />
        </>
      )}
    </Stack>
  );
}

function SetPanel({ incidentKey, id }: { incidentKey: string; id: string }) {
  const { t } = useTranslation();
  const canManage = useCan('scoping.manage');
  const [version, setVersion] = useState<number | null>(null);
  const [refining, setRefining] = useState(false);
  const set = useAffectedSet(id, version);
  const members = useMembers(id, version);
  const refresh = useRefreshSet(incidentKey);
  return (
    <QueryView query={set} compact>
      {(s) => (
        <Stack gap="sm" data-testid="scope-set" data-version={s.shown.version}>
          <Group justify="space-between">
            <Group gap="xs">
              <Title order={5}>{s.name}</Title>
              <Badge data-testid="scope-count">{t('scoping.count', { count: s.shown.customerCount })}</Badge>
            </Group>
            <Group gap="xs">
              <Select
                aria-label={t('scoping.version')}
                data={s.versions.map((v) => ({
                  value: String(v.version),
                  label: `v${v.version} · ${v.customerCount}`,
                }))}
                value={String(s.shown.version)}
                onChange={(v) => setVersion(v ? Number(v) : null)}
                w={140}
                comboboxProps={{ withinPortal: false }}
                data-testid="scope-version"
              />
              {canManage && (
                <>
                  <Button variant="default" size="xs" onClick={() => setRefining(true)} data-testid="scope-refine">
                    {t('scoping.refine')}
                  </Button>
                  <Button
                    variant="default"
                    size="xs"
                    loading={refresh.isPending}
                    onClick={() => refresh.mutate(id, { onSuccess: () => setVersion(null) })}
                    data-testid="scope-refresh"
                  >
                    {t('scoping.refresh')}
                  </Button>
                </>
              )}
            </Group>
          </Group>
          <ProblemAlert error={refresh.error} />
          <QueryView query={members} compact>
            {(page) => <MembersTable items={page.items} testId="scope-members" />}
          </QueryView>
          <DiffView key={s.version} set={s} />
          {refining && (
            <Modal opened onClose={() => setRefining(false)} size="xl" title={t('scoping.refine')}>
              <ScopeBuilder
                incidentKey={incidentKey}
                set={{ id: s.id, name: s.name, definition: s.shown.definition }}
                onDone={() => {
                  setRefining(false);
                  setVersion(null);
                }}
              />
            </Modal>
          )}
        </Stack>
      )}
    </QueryView>
  );
}

export function AffectedCustomersCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canManage = useCan('scoping.manage');
  const sets = useAffectedSets(incidentKey);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  return (
    <Card withBorder data-testid="affected-customers">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('scoping.title')}</Title>
          {canManage && (
            <Button size="xs" onClick={() => setCreating(true)} data-testid="scope-new">
              {t('scoping.new')}
            </Button>
          )}
        </Group>
        <QueryView query={sets} compact>
          {(items) =>
            items.length === 0 ? (
              <EmptyState compact testId="scope-empty">
                {t('scoping.empty')}
              </EmptyState>
            ) : (
              <Table highlightOnHover data-testid="scope-sets">
                <Table.Tbody>
                  {items.map((s) => (
                    <Table.Tr
                      key={s.id}
                      onClick={() => setSelected(s.id)}
                      style={{ cursor: 'pointer' }}
                      bg={(selected ?? items[0]!.id) === s.id ? 'var(--mantine-color-blue-light)' : undefined}
                      data-testid="scope-set-row"
                    >
                      <Table.Td>{s.name}</Table.Td>
                      <Table.Td>v{s.version}</Table.Td>
                      <Table.Td>{t('scoping.count', { count: s.customerCount })}</Table.Td>
                      <Table.Td>{s.primary && <Badge variant="light">{t('scoping.primary')}</Badge>}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryView>
        {sets.data?.length ? (
          <SetPanel key={selected ?? sets.data[0]!.id} incidentKey={incidentKey} id={selected ?? sets.data[0]!.id} />
        ) : null}
      </Stack>
      {creating && (
        <Modal opened onClose={() => setCreating(false)} size="xl" title={t('scoping.new')}>
          <ScopeBuilder
            incidentKey={incidentKey}
            set={null}
            onDone={(id) => {
              setCreating(false);
              setSelected(id);
            }}
          />
        </Modal>
      )}
    </Card>
  );
}
