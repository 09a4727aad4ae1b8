/**
 * The risk register at /risks (issue 16, docs/risk.md): the 5×5 heat map (inherent or residual; a click
 * on a cell filters the table to it) and the register — score and level, residual, owner, status, review
 * date (overdue in red), linked incidents and vulnerabilities. risk.manage adds and changes risks.
 */
import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  CloseButton,
  Grid,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RISK_CATEGORIES, RISK_LEVELS, RISK_STATUSES } from '../../../shared/risk-schemas.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { type Risk, type RiskFilter, useHeatMap, useRisks } from './risk-api.js';
import { RiskModal } from './risk-form.js';
import { LEVEL_COLOR, RiskHeatMapChart } from './risk-heat-map.js';

const STATUS_COLOR = { open: 'red', treating: 'blue', accepted: 'yellow', closed: 'gray' } as const;

export function RisksPage() {
  const { t } = useTranslation();
  const allowed = useCan('risk.read');
  const canManage = useCan('risk.manage');
  usePageTitle(t('risk.pageTitle'));
  const [filter, setFilter] = useState<RiskFilter>({});
  const [residual, setResidual] = useState(false);
  const [editing, setEditing] = useState<string | null | 'new'>(null);
  const cell = filter.likelihood && filter.impact ? { likelihood: filter.likelihood, impact: filter.impact } : null;
  const heat = useHeatMap(residual);
  const risks = useRisks(filter);
  if (!allowed) return <NotPermitted />;
  const set = (patch: RiskFilter) => setFilter((f) => ({ ...f, ...patch }));
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('risk.pageTitle')}</Title>
        {canManage && (
          <Button onClick={() => setEditing('new')} data-testid="risk-new">
            {t('risk.new')}
          </Button>
        )}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder radius="md">
            <Group justify="space-between" mb="xs">
              <Text fw={600}>{t('risk.heatMap')}</Text>
              <SegmentedControl
                size="xs"
                value={residual ? 'residual' : 'inherent'}
                onChange={(v) => setResidual(v === 'residual')}
                data={[
                  { value: 'inherent', label: t('risk.inherent') },
                  { value: 'residual', label: t('risk.residual') },
                ]}
              />
            </Group>
            <QueryView query={heat} compact>
              {(map) => (
                <>
                  <RiskHeatMapChart
                    map={map}
                    selected={residual ? null : cell}
                    onSelect={(c) => {
                      if (!residual) set({ ...c, notClosed: true });
                    }}
                  />
                  <Text size="xs" c="dimmed" data-testid="risk-heat-total">
                    {t('risk.heatTotal', { count: map.total })}
                  </Text>
                </>
              )}
            </QueryView>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="md">
            <Text fw={600} mb="xs">
              {t('risk.levelsLegend')}
            </Text>
            <Stack gap={6}>
              {RISK_LEVELS.map((l) => (
                <Group key={l} gap="xs">
                  <Badge color={LEVEL_COLOR[l]} autoContrast>
                    {t(`risk.levels.${l}`)}
                  </Badge>
                  <Text size="sm">{t(`risk.levelRanges.${l}`)}</Text>
                </Group>
              ))}
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
      <Group gap="sm" align="flex-end">
        <TextInput
          label={t('risk.search')}
          value={filter.q ?? ''}
          onChange={(e) => set({ q: e.currentTarget.value || undefined })}
        />
        <Select
          label={t('risk.status')}
          clearable
          data={RISK_STATUSES.map((s) => ({ value: s, label: t(`risk.statuses.${s}`) }))}
          value={filter.status ?? null}
          onChange={(v) => set({ status: v ?? undefined })}
        />
        <Select
          label={t('risk.category')}
          clearable
          data={RISK_CATEGORIES.map((c) => ({ value: c, label: t(`risk.categories.${c}`) }))}
          value={filter.category ?? null}
          onChange={(v) => set({ category: v ?? undefined })}
        />
        <Select
          label={t('risk.level')}
          clearable
          data={RISK_LEVELS.map((l) => ({ value: l, label: t(`risk.levels.${l}`) }))}
          value={filter.level ?? null}
          onChange={(v) => set({ level: v ?? undefined })}
        />
        {cell && (
          <Badge
            size="lg"
            variant="light"
            data-testid="risk-cell-filter"
            rightSection={
              <CloseButton
                size="xs"
                aria-label={t('risk.clearCell')}
                onClick={() => set({ likelihood: undefined, impact: undefined, notClosed: undefined })}
              />
            }
          >
            {t('risk.cellFilter', cell)}
          </Badge>
        )}
      </Group>
      <Card withBorder radius="md" p={0}>
        <QueryView query={risks} keepOnError>
          {({ items }) =>
            items.length === 0 ? (
              <EmptyState>{t('risk.empty')}</EmptyState>
            ) : (
              <Table.ScrollContainer minWidth={1000}>
                <Table verticalSpacing="xs" highlightOnHover data-testid="risk-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('risk.title')}</Table.Th>
                      <Table.Th>{t('risk.score')}</Table.Th>
                      <Table.Th>{t('risk.residual')}</Table.Th>
                      <Table.Th>{t('risk.owner')}</Table.Th>
                      <Table.Th>{t('risk.status')}</Table.Th>
                      <Table.Th>{t('risk.reviewOn')}</Table.Th>
                      <Table.Th>{t('risk.links')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((r) => (
                      <RiskRow key={r.id} risk={r} onOpen={() => setEditing(r.id)} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryView>
      </Card>
      {editing && (
        <RiskModal id={editing === 'new' ? null : editing} canManage={canManage} onClose={() => setEditing(null)} />
      )}
    </Stack>
  );
}

function RiskRow({ risk: r, onOpen }: { risk: Risk; onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-testid="risk-row" data-level={r.level} style={{ cursor: 'pointer' }} onClick={onOpen}>
      <Table.Td maw={360}>
        <Text size="sm" fw={600} className="tocsin-break">
          {r.key} {r.title}
        </Text>
        <Text size="xs" c="dimmed">
          {t(`risk.categories.${r.category}`)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={LEVEL_COLOR[r.level]} autoContrast>
          {r.likelihood}×{r.impact} = {r.score} · {t(`risk.levels.${r.level}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        {r.residualScore !== null && r.residualLevel ? (
          <Badge variant="outline" color={LEVEL_COLOR[r.residualLevel]}>
            {r.residualScore} · {t(`risk.levels.${r.residualLevel}`)}
          </Badge>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>{r.owner?.name ?? '—'}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={STATUS_COLOR[r.status]}>
          {t(`risk.statuses.${r.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={r.reviewDue ? 'red' : undefined} fw={r.reviewDue ? 600 : undefined}>
          {r.reviewOn ?? '—'}
          {r.reviewDue ? ` · ${t('risk.reviewDue')}` : ''}
        </Text>
      </Table.Td>
      <Table.Td onClick={(e) => e.stopPropagation()}>
        <Group gap={4}>
          {r.incidentKeys.map((k) => (
            <Anchor key={k} component={Link} to={`/incidents/${encodeURIComponent(k)}`} size="sm">
              {k}
            </Anchor>
          ))}
          {r.vulnerabilityIds.map((v) => (
            <Badge key={v} size="sm" variant="outline" color="gray">
              {v}
            </Badge>
          ))}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
