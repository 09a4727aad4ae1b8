/**
 * /drills (issue 16): the drill calendar by month with who took part, each plan's coverage (its last
 * completed drill, flagged when none within the period), and planning a drill from a plan's script.
 */
import { Anchor, Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { pick } from '../../ui/localized.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime, localInputToIso } from '../../ui/time.js';
import type { DrillSummary } from '../../../shared/drill-schemas.js';
import { type DrillCalendar, useCreateDrill, useDrillCalendar } from './drills-api.js';

export const STATUS_COLOR = { scheduled: 'blue', running: 'orange', completed: 'green', cancelled: 'gray' } as const;

function PlanDrill({ plans }: { plans: DrillCalendar['coverage'] }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateDrill();
  const [planId, setPlanId] = useState<string | null>(plans[0]?.planId ?? null);
  const [title, setTitle] = useState('');
  const [when, setWhen] = useState('');
  const scheduledAt = localInputToIso(when);
  return (
    <Paper withBorder p="md" radius="md" data-testid="drill-create">
      <Stack gap="xs">
        <Text fw={600}>{t('drills.plan')}</Text>
        <Group align="flex-end" gap="xs">
          <Select
            label={t('drills.fromPlan')}
            data={plans.map((p) => ({ value: p.planId, label: pick(p.name, i18n.language, p.planId) }))}
            value={planId}
            onChange={setPlanId}
            data-testid="drill-plan"
          />
          <TextInput
            label={t('drills.titleLabel')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            data-testid="drill-title"
          />
          <TextInput
            type="datetime-local"
            label={t('drills.scheduledAt')}
            value={when}
            onChange={(e) => setWhen(e.currentTarget.value)}
            data-testid="drill-when"
          />
          <Button
            disabled={!planId || !title.trim() || !scheduledAt}
            loading={create.isPending}
            onClick={() =>
              create.mutate(
                { title: title.trim(), planId: planId!, useScript: true, scheduledAt: scheduledAt! },
                { onSuccess: (d) => navigate(`/drills/${d.id}`) },
              )
            }
            data-testid="drill-create-submit"
          >
            {t('drills.create')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('drills.scriptHint')}
        </Text>
        {create.error && <ProblemAlert error={create.error} />}
      </Stack>
    </Paper>
  );
}

/** The facilitator, then the participants, each once, as a list in the reader's language. */
function peopleOf(d: Pick<DrillSummary, 'facilitator' | 'participants'>, language: string): string {
  const seen = new Map<string, string>();
  for (const p of [d.facilitator, ...d.participants]) if (p && !seen.has(p.id)) seen.set(p.id, p.name ?? p.id);
  return new Intl.ListFormat(language, { type: 'conjunction' }).format([...seen.values()]);
}

function Calendar({ c }: { c: DrillCalendar }) {
  const { t, i18n } = useTranslation();
  if (c.months.length === 0) return <Text c="dimmed">{t('drills.none')}</Text>;
  return (
    <Stack gap="md" data-testid="drill-calendar">
      {c.months.map((m) => (
        <Paper key={m.month} withBorder p="md" radius="md" data-testid="drill-month" data-month={m.month}>
          <Title order={4}>{m.month}</Title>
          <Table.ScrollContainer minWidth={600}>
            <Table>
              <Table.Tbody>
                {m.drills.map((d) => (
                  <Table.Tr key={d.id} data-testid="drill-row">
                    <Table.Td>{formatDateTime(d.scheduledAt, i18n.language)}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/drills/${d.id}`}>
                        {d.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[d.status]} data-testid="drill-row-status">
                        {t(`drills.status.${d.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{d.planId ?? '—'}</Table.Td>
                    <Table.Td data-testid="drill-people">
                      {t('drills.participants', { list: peopleOf(d, i18n.language) })}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      ))}
    </Stack>
  );
}

function Coverage({ c }: { c: DrillCalendar }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" data-testid="drill-coverage">
      <Title order={4}>{t('drills.coverage')}</Title>
      <Text size="sm" c="dimmed">
        {t('drills.coverageHint')}
      </Text>
      <Table.ScrollContainer minWidth={480}>
        <Table>
          <Table.Tbody>
            {c.coverage.map((p) => (
              <Table.Tr key={p.planId} data-testid="coverage-row" data-plan={p.planId} data-overdue={p.overdue}>
                <Table.Td>{pick(p.name, i18n.language, p.planId)}</Table.Td>
                <Table.Td>
                  {p.lastDrill
                    ? t('drills.lastDrill', { at: formatDateTime(p.lastDrill.endedAt, i18n.language) })
                    : t('drills.neverDrilled')}
                </Table.Td>
                <Table.Td>
                  {p.overdue && (
                    <Badge color="red" data-testid="coverage-overdue">
                      {t('drills.overdue', { months: p.periodMonths })}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

export function DrillsPage() {
  const { t } = useTranslation();
  const canRead = useCan('drill.read');
  const canManage = useCan('drill.manage');
  const calendar = useDrillCalendar();
  usePageTitle(t('drills.title'));
  if (!canRead) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="drills-page">
      <Title order={2}>{t('drills.title')}</Title>
      <QueryView query={calendar}>
        {(c) => (
          <Stack gap="md">
            {canManage && <PlanDrill plans={c.coverage} />}
            <Coverage c={c} />
            <Calendar c={c} />
          </Stack>
        )}
      </QueryView>
    </Stack>
  );
}
