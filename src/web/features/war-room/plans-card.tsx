/** The plans running on the incident (war room): why each started, who fills its roles, progress by phase, problems. */
import { Badge, Button, Card, Group, Progress, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import { useCan } from '../../app/session.js';
import type { Page, PlanActivation } from '../../app/types.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { usePlanList } from '../plans/plans-api.js';
import { pick } from '../../ui/localized.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';

export function useActivations(key: string) {
  return useQuery({
    queryKey: qk.activations(key),
    queryFn: ({ signal }) =>
      api<Pick<Page<PlanActivation>, 'items'>>(`/incidents/${encodeURIComponent(key)}/plans`, { signal }),
  });
}

function ActivationView({ a }: { a: PlanActivation }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const started =
    a.activatedBy === null
      ? t('runningPlans.byTocsin', { n: (a.details.trigger ?? 0) + 1 })
      : t('runningPlans.byPerson', { name: a.activatedBy.name });
  return (
    <Stack gap={6} data-testid="activation" data-plan={a.planId}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text fw={600} size="sm" className="tocsin-break">
          {pick(a.name, lang, a.planId)}
        </Text>
        <Badge variant="light" size="sm" style={{ flexShrink: 0 }}>
          {t('runningPlans.version', { v: a.planVersion })}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed">
        {started} · {formatDateTime(a.activatedAt, lang)}
      </Text>
      {a.progress
        .filter((p) => p.total > 0)
        .map((p) => (
          <Stack gap={2} key={p.phase} data-testid="plan-phase" data-phase={p.phase}>
            <Group justify="space-between">
              <Text size="xs">{t(`runningPlans.phase.${p.phase}`)}</Text>
              <Text size="xs" c={p.overdue ? 'red' : 'dimmed'}>
                {p.done}/{p.total}
                {p.overdue > 0 && ` · ${t('runningPlans.overdue', { n: p.overdue })}`}
              </Text>
            </Group>
            <Progress size="sm" value={(100 * p.done) / p.total} color={p.overdue ? 'red' : 'teal'} />
          </Stack>
        ))}
      <Stack gap={0}>
        {a.roles.map((r) => (
          <Text size="xs" key={r.id} data-testid="plan-role">
            {pick(r.name, lang, r.id)}:{' '}
            {r.user ? (
              r.user.name
            ) : (
              <Text span size="xs" c="dimmed">
                {t('runningPlans.unfilled')}
              </Text>
            )}
          </Text>
        ))}
      </Stack>
      {(a.details.awaitingAlerts ?? []).length > 0 && (
        <Text size="xs" c="dimmed" className="tocsin-break" data-testid="plan-awaiting-alerts">
          {t('planAlerts.waiting', { steps: (a.details.awaitingAlerts ?? []).join(', ') })}
        </Text>
      )}
      {a.details.problems.length > 0 && (
        <Stack gap={0} data-testid="plan-problems">
          <Text size="xs" fw={600} c="orange">
            {t('runningPlans.problems')}
          </Text>
          {a.details.problems.map((p) => (
            <Text size="xs" c="orange" key={p.step} className="tocsin-break" data-testid="plan-problem">
              {p.step}: {t(`runningPlans.problem.${p.reason}`, { ...p.params, message: p.message })}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** Starts an active plan by hand (the plans already running are not offered). */
function ActivatePlan({ incidentKey, running }: { incidentKey: string; running: string[] }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const plans = usePlanList();
  const [planId, setPlanId] = useState<string | null>(null);
  const activate = useMutation({
    mutationFn: (id: string) =>
      api<PlanActivation>(`/incidents/${encodeURIComponent(incidentKey)}/plans`, {
        method: 'POST',
        body: { planId: id },
      }),
    onSuccess: () => {
      setPlanId(null);
      void qc.invalidateQueries({ queryKey: qk.activations(incidentKey) });
      void qc.invalidateQueries({ queryKey: qk.tasks(incidentKey) });
    },
  });
  const options = (plans.data?.items ?? [])
    .filter((p) => p.activeVersion !== null && !running.includes(p.id))
    .map((p) => ({ value: p.id, label: i18n.language.startsWith('zh') ? p.nameZh : p.nameEn }));
  if (options.length === 0) return null;
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <Select
          size="xs"
          style={{ flex: 1 }}
          data={options}
          value={planId}
          onChange={setPlanId}
          placeholder={t('runningPlans.choose')}
          aria-label={t('runningPlans.choose')}
          data-testid="activate-plan-select"
        />
        <Button
          size="xs"
          disabled={!planId}
          loading={activate.isPending}
          onClick={() => planId && activate.mutate(planId)}
          data-testid="activate-plan"
        >
          {t('runningPlans.activate')}
        </Button>
      </Group>
      <ProblemAlert error={activate.error} />
    </Stack>
  );
}

export function PlansCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const query = useActivations(incidentKey);
  const canRun = useCan('plan.run');
  return (
    <Card withBorder radius="md" data-testid="plans">
      <Stack gap="sm">
        <Title order={4}>{t('runningPlans.title')}</Title>
        <QueryView query={query}>
          {(data) =>
            data.items.length === 0 ? (
              <EmptyState>{t('runningPlans.empty')}</EmptyState>
            ) : (
              <Stack gap="md">
                {data.items.map((a) => (
                  <ActivationView a={a} key={a.id} />
                ))}
              </Stack>
            )
          }
        </QueryView>
        {canRun && query.data && (
          <ActivatePlan incidentKey={incidentKey} running={query.data.items.map((a) => a.planId)} />
        )}
      </Stack>
    </Card>
  );
}
