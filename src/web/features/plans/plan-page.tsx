/**
 * One plan at /plans/:id: names, status and review date; its versions with approve / activate / retire
 * for those allowed; a diff between two versions (chosen in the URL: ?from=&to=); the source of a
 * version; and the editor, which saves a new draft.
 */
import { Anchor, Badge, Card, Code, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { useUrlFilters } from '../../app/url-filters.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { PlanEditor } from './plan-editor.js';
import { DiffView, PlanStatusBadge, ReviewBadge } from './plan-parts.js';
import { planName } from './plans-page.js';
import {
  type PlanChange,
  type PlanDetail,
  type PlanVersionInfo,
  useChangePlanVersion,
  usePlan,
  usePlanDiff,
  usePlanVersion,
} from './plans-api.js';

const VIEW = { from: undefined, to: undefined, show: undefined } as const;

export function PlanPage() {
  const { id = '' } = useParams();
  const { i18n } = useTranslation();
  const query = usePlan(id);
  usePageTitle(query.data && planName(query.data, i18n.language));
  return <QueryView query={query}>{(p) => <PlanView plan={p} />}</QueryView>;
}

function VersionActions({ planId, v }: { planId: string; v: PlanVersionInfo }) {
  const { t } = useTranslation();
  const canApprove = useCan('plan.approve');
  const canManage = useCan('plan.manage');
  const change = useChangePlanVersion(planId);
  const button = (what: PlanChange, allowed: boolean, color: string) =>
    allowed && (
      <ConfirmButton
        size="compact-xs"
        variant={what === 'retire' ? 'subtle' : 'light'}
        color={color}
        loading={change.isPending && change.variables?.change === what}
        question={t(`plans.${what}Question`, { n: v.version })}
        onConfirm={() => change.mutate({ version: v.version, change: what })}
        testId={`plan-${what}-${v.version}`}
      >
        {t(`plans.${what}`)}
      </ConfirmButton>
    );
  return (
    <Stack gap={4}>
      <Group gap={4} wrap="wrap">
        {button('approve', canApprove && v.status === 'draft', 'blue')}
        {button('activate', canManage && v.status === 'approved', 'green')}
        {button('retire', canManage && v.status !== 'retired', 'gray')}
      </Group>
      <ProblemAlert error={change.error} />
    </Stack>
  );
}

function Who({
  label,
  who,
  at,
}: {
  label: 'createdBy' | 'approvedBy' | 'activatedBy';
  who: PlanVersionInfo['createdBy'];
  at: string | null;
}) {
  const { t, i18n } = useTranslation();
  if (!who || !at) return null;
  return (
    <Text size="xs" c="dimmed">
      {t(`plans.${label}`, { name: who.name, at: formatDateTime(at, i18n.language) })}
    </Text>
  );
}

function PlanView({ plan }: { plan: PlanDetail }) {
  const { t, i18n } = useTranslation();
  const canManage = useCan('plan.manage');
  const [view, setView] = useUrlFilters(VIEW);
  const numbers = plan.versions.map((v) => v.version);
  const latest = plan.latestVersion;
  const to = view.to ? Number(view.to) : latest;
  const from = view.from ? Number(view.from) : (numbers.find((n) => n < to) ?? to);
  const shown = view.show ? Number(view.show) : latest;
  const diff = usePlanDiff(plan.id, from, to);
  const source = usePlanVersion(plan.id, shown);
  const latestSource = usePlanVersion(plan.id, latest);
  const options = numbers.map((n) => ({ value: String(n), label: t('plans.version', { n }) }));
  const other = i18n.language === 'zh-CN' ? plan.nameEn : plan.nameZh;

  return (
    <Stack gap="md" data-testid="plan-detail" data-id={plan.id}>
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Anchor component={Link} to="/plans" size="sm">
            ← {t('plans.back')}
          </Anchor>
          <Group gap="xs" wrap="wrap">
            <PlanStatusBadge status={plan.status} testId="plan-status" />
            {plan.activeVersion !== null ? (
              <Badge variant="outline" color="green">
                {t('plans.col.active')}: {t('plans.version', { n: plan.activeVersion })}
              </Badge>
            ) : (
              <Badge variant="outline" color="gray">
                {t('plans.noActive')}
              </Badge>
            )}
            <ReviewBadge plan={plan} withLabel />
          </Group>
          <Title order={2} size="h3" className="tocsin-break" data-testid="plan-title">
            {planName(plan, i18n.language)}
          </Title>
          <Text size="sm" c="dimmed" className="tocsin-break">
            {other} ·{' '}
            <Text span ff="monospace" size="sm">
              {plan.id}
            </Text>
          </Text>
        </Stack>
      </Paper>

      <Card withBorder radius="md">
        <Title order={5} mb="xs">
          {t('plans.versions')}
        </Title>
        <Table verticalSpacing="xs" data-testid="plan-versions">
          <Table.Tbody>
            {plan.versions.map((v) => (
              <Table.Tr key={v.version} data-testid="plan-version-row" data-version={v.version} data-status={v.status}>
                <Table.Td>
                  <Anchor size="sm" fw={600} onClick={() => setView({ show: String(v.version) })}>
                    {t('plans.version', { n: v.version })}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <PlanStatusBadge status={v.status} />
                </Table.Td>
                <Table.Td>
                  <Who label="createdBy" who={v.createdBy} at={v.createdAt} />
                  <Who label="approvedBy" who={v.approvedBy} at={v.approvedAt} />
                  <Who label="activatedBy" who={v.activatedBy} at={v.activatedAt} />
                </Table.Td>
                <Table.Td>
                  <VersionActions planId={plan.id} v={v} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>

      {numbers.length > 1 && (
        <Card withBorder radius="md">
          <Group justify="space-between" mb="xs" wrap="wrap">
            <Title order={5}>{t('plans.diff.title')}</Title>
            <Group gap="xs">
              <Select
                size="xs"
                w={110}
                aria-label={t('plans.diff.from')}
                data={options}
                value={String(from)}
                onChange={(v) => setView({ from: v })}
                allowDeselect={false}
                data-testid="plan-diff-from"
              />
              <Text size="sm">→</Text>
              <Select
                size="xs"
                w={110}
                aria-label={t('plans.diff.to')}
                data={options}
                value={String(to)}
                onChange={(v) => setView({ to: v })}
                allowDeselect={false}
                data-testid="plan-diff-to"
              />
            </Group>
          </Group>
          {from === to ? (
            <Text size="sm" c="dimmed">
              {t('plans.diff.same')}
            </Text>
          ) : (
            <QueryView query={diff} compact>
              {(d) => <DiffView diff={d.diff} />}
            </QueryView>
          )}
        </Card>
      )}

      <Card withBorder radius="md">
        <Title order={5} mb="xs">
          {t('plans.source')} · {t('plans.version', { n: shown })}
        </Title>
        <QueryView query={source} compact>
          {(v) => (
            <Code
              block
              style={{ maxHeight: 480, overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              data-testid="plan-source"
            >
              {v.source}
            </Code>
          )}
        </QueryView>
      </Card>

      {canManage && latestSource.data && (
        <PlanEditor
          key={`${plan.id}:${latest}`}
          initial={latestSource.data.source}
          title={t('plans.editor.title')}
          onSaved={(r) =>
            r.changed && setView({ from: String(latest), to: String(r.version.version), show: undefined })
          }
        />
      )}
    </Stack>
  );
}
