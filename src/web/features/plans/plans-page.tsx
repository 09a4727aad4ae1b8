/** The emergency plans: a table with each plan's status, versions and review date ("review due" badge), and a new-plan editor. */
import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { PlanEditor } from './plan-editor.js';
import { PlanStatusBadge, ReviewBadge } from './plan-parts.js';
import { type PlanSummary, planPath, usePlanList } from './plans-api.js';

/** What the new-plan editor starts from: the smallest valid plan (docs/plans.md has every field). */
const NEW_PLAN = `id: new-plan
name: { zh-CN: 新预案, en: New plan }
scenario: { zh-CN: 适用场景, en: The situation this plan is for }
review_period_months: 12
triggers:
  - categories: [network_attack]
    min_grade: III
roles:
  - id: duty-officer
    name: { zh-CN: 值班负责人, en: Duty officer }
    participant_role: incident_commander
phases:
  contain:
    - id: assess
      title: { zh-CN: 研判影响范围, en: Assess the impact }
      owner: duty-officer
      due: +15m
`;

export const planName = (p: { nameZh: string; nameEn: string }, language: string) =>
  language === 'zh-CN' ? p.nameZh : p.nameEn;

function PlanRow({ plan }: { plan: PlanSummary }) {
  const { t, i18n } = useTranslation();
  const other = i18n.language === 'zh-CN' ? plan.nameEn : plan.nameZh;
  return (
    <Table.Tr data-testid="plan-row" data-id={plan.id}>
      <Table.Td>
        <Anchor component={Link} to={planPath(plan.id)} size="sm" fw={500} className="tocsin-break">
          {planName(plan, i18n.language)}
        </Anchor>
        <Text size="xs" c="dimmed" className="tocsin-break">
          {other} ·{' '}
          <Text span ff="monospace" size="xs">
            {plan.id}
          </Text>
        </Text>
      </Table.Td>
      <Table.Td>
        <PlanStatusBadge status={plan.status} testId="plan-row-status" />
      </Table.Td>
      <Table.Td>{t('plans.version', { n: plan.latestVersion })}</Table.Td>
      <Table.Td>
        {plan.activeVersion === null ? (
          <Text size="sm" c="dimmed">
            {t('plans.noActive')}
          </Text>
        ) : (
          t('plans.version', { n: plan.activeVersion })
        )}
      </Table.Td>
      <Table.Td>
        <ReviewBadge plan={plan} />
      </Table.Td>
    </Table.Tr>
  );
}

export function PlansPage() {
  const { t } = useTranslation();
  const allowed = useCan('plan.read');
  const canManage = useCan('plan.manage');
  const navigate = useNavigate();
  const [editing, editor] = useDisclosure(false);
  usePageTitle(t('plans.title'));
  const list = usePlanList();
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('plans.title')}</Title>
        {canManage && !editing && (
          <Button onClick={editor.open} data-testid="plan-new">
            {t('plans.new')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('plans.intro')}
      </Text>
      {editing && (
        <PlanEditor
          initial={NEW_PLAN}
          title={t('plans.editor.newTitle')}
          onSaved={(r) => navigate(planPath(r.plan.id))}
        />
      )}
      <QueryView query={list} keepOnError>
        {({ items }) =>
          items.length === 0 ? (
            <EmptyState testId="plans-empty">{t('plans.empty')}</EmptyState>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="xs" data-testid="plan-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('plans.col.name')}</Table.Th>
                    <Table.Th>{t('plans.col.status')}</Table.Th>
                    <Table.Th>{t('plans.col.latest')}</Table.Th>
                    <Table.Th>{t('plans.col.active')}</Table.Th>
                    <Table.Th>{t('plans.col.review')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((p) => (
                    <PlanRow key={p.id} plan={p} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryView>
    </Stack>
  );
}
