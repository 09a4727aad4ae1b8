/**
 * The incident's containment actions (war room): each run with its state, who asked and who approved,
 * what was sent and answered; approve / reject for runs awaiting approval (a second person for the
 * two-person rule: the server refuses the requester), roll back where the action defines one. Live on
 * `action.changed`.
 */
import { Badge, Button, Card, Code, Collapse, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActionRun } from '../../../shared/connector-schemas.js';
import { api } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import { useCan, useSession } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { PreserveButton } from '../evidence/preserve-button.js';

const STATE_COLOUR: Record<ActionRun['state'], string> = {
  awaiting_approval: 'orange',
  queued: 'blue',
  running: 'yellow',
  succeeded: 'teal',
  failed: 'red',
  rejected: 'gray',
  rolled_back: 'grape',
  rollback_failed: 'red',
};

export function useIncidentActions(key: string) {
  return useQuery({
    queryKey: qk.incidentActions(key),
    queryFn: ({ signal }) => api<{ items: ActionRun[] }>(`/incidents/${encodeURIComponent(key)}/actions`, { signal }),
  });
}

function useActionMutation(key: string, verb: 'approve' | 'reject' | 'rollback') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; reason?: string }) =>
      api<ActionRun>(`/actions/${encodeURIComponent(v.id)}/${verb}`, {
        method: 'POST',
        ...(verb === 'reject' ? { body: { reason: v.reason ?? '' } } : {}),
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.incidentActions(key) }),
  });
}

function RunView({ run, incidentKey }: { run: ActionRun; incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const canApprove = useCan('action.approve');
  const me = useSession().user.id;
  const approve = useActionMutation(incidentKey, 'approve');
  const reject = useActionMutation(incidentKey, 'reject');
  const rollback = useActionMutation(incidentKey, 'rollback');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const waiting = run.state === 'awaiting_approval';
  const mine = run.requestedBy?.id === me;
  const target = Object.values(run.parameters)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v) => typeof v === 'string')
    .slice(0, 3)
    .join(', ');
  return (
    <Stack gap={4} data-testid="action-run" data-state={run.state} data-step={run.stepId ?? ''}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} className="tocsin-break">
            {t(`connectors.actionName.${run.action}`, { defaultValue: run.action })} · {run.connector}
          </Text>
          {target && (
            <Text size="xs" c="dimmed" className="tocsin-break">
              {target}
            </Text>
          )}
        </Stack>
        <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
          {run.dryRun && (
            <Badge size="sm" color="cyan" variant="outline">
              {t('actions.dryRun')}
            </Badge>
          )}
          <Badge size="sm" color={STATE_COLOUR[run.state]} variant="light" data-testid="action-state">
            {t(`actionState.${run.state}`)}
          </Badge>
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        {run.requestedBy ? t('actions.requestedBy', { name: run.requestedBy.name }) : t('actions.requestedByPlan')}
        {run.approval !== 'none' && ` · ${t(`actions.approval.${run.approval}`)}`}
        {run.approvedBy && ` · ${t('actions.approvedBy', { name: run.approvedBy.name })}`}
        {` · ${formatDateTime(run.updatedAt, i18n.language)}`}
      </Text>
      {run.error && (
        <Text size="xs" c="red" className="tocsin-break" data-testid="action-error">
          {run.error}
        </Text>
      )}
      {waiting && canApprove && (
        <Stack gap={4}>
          {mine && run.approval === 'two_person' && (
            <Text size="xs" c="orange">
              {t('actions.secondPerson')}
            </Text>
          )}
          <Group gap="xs" wrap="nowrap">
            <Button
              size="xs"
              color="teal"
              loading={approve.isPending}
              onClick={() => approve.mutate({ id: run.id })}
              data-testid="action-approve"
            >
              {t('actions.approve')}
            </Button>
            <TextInput
              size="xs"
              style={{ flex: 1 }}
              placeholder={t('actions.reason')}
              aria-label={t('actions.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <Button
              size="xs"
              variant="light"
              color="red"
              disabled={!reason.trim()}
              loading={reject.isPending}
              onClick={() => reject.mutate({ id: run.id, reason })}
              data-testid="action-reject"
            >
              {t('actions.reject')}
            </Button>
          </Group>
        </Stack>
      )}
      {run.state === 'succeeded' && run.canRollback && !run.dryRun && canApprove && (
        <Group>
          <Button
            size="xs"
            variant="light"
            color="grape"
            loading={rollback.isPending}
            onClick={() => rollback.mutate({ id: run.id })}
            data-testid="action-rollback"
          >
            {t('actions.rollback')}
          </Button>
        </Group>
      )}
      <ProblemAlert error={approve.error ?? reject.error ?? rollback.error} />
      {(run.request != null || run.response != null) && (
        <>
          <PreserveButton incidentKey={incidentKey} what={{ actionId: run.id }} testId="action-preserve" />
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)} w="fit-content">
            {open ? t('actions.hideDetail') : t('actions.showDetail')}
          </Button>
          <Collapse in={open}>
            <Code block fz="xs" className="tocsin-break">
              {JSON.stringify({ request: run.request, response: run.response }, null, 2)}
            </Code>
          </Collapse>
        </>
      )}
    </Stack>
  );
}

export function ActionsCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const query = useIncidentActions(incidentKey);
  return (
    <Card withBorder radius="md" data-testid="actions">
      <Stack gap="sm">
        <Title order={4}>{t('actions.title')}</Title>
        <QueryView query={query}>
          {(data) =>
            data.items.length === 0 ? (
              <EmptyState>{t('actions.empty')}</EmptyState>
            ) : (
              <Stack gap="md">
                {data.items.map((run) => (
                  <RunView run={run} incidentKey={incidentKey} key={run.id} />
                ))}
              </Stack>
            )
          }
        </QueryView>
      </Stack>
    </Card>
  );
}
