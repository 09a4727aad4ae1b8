/** Services and their health: each service's state from its probes, the probes' state, latency and last check; manage probes. */
import { useState } from 'react';
import { Alert as Notice, Button, Card, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ProbeHealth, ServiceHealth } from '../../../shared/probe-schemas.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { HealthBadge } from './health-badge.js';
import { ProbeForm } from './probe-form.js';
import { useDeleteProbe, useRunProbe, useServiceHealth, useSetProbeEnabled } from './services-api.js';

function ProbeRow({ p, canManage }: { p: ProbeHealth; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const run = useRunProbe();
  const toggle = useSetProbeEnabled();
  const remove = useDeleteProbe();
  const last = p.lastResult;
  return (
    <Table.Tr data-testid="probe-row" data-id={p.id} data-state={p.state}>
      <Table.Td>
        <Text size="sm" fw={500} className="tocsin-break">
          {p.name}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace" className="tocsin-break">
          {p.kind.toUpperCase()} {p.target}
        </Text>
      </Table.Td>
      <Table.Td>
        <HealthBadge state={p.enabled ? p.state : 'unknown'} testId="probe-state" />
        {!p.enabled && (
          <Text size="xs" c="dimmed" data-testid="probe-disabled">
            {t('probes.disabled')}
          </Text>
        )}
        {last?.outcome === 'refused' && (
          <Text size="xs" fw={500} c="orange.8" data-testid="probe-refused">
            {t('probes.refused')}
          </Text>
        )}
        {last?.error && (
          <Text
            size="xs"
            c={last.outcome === 'down' ? 'red' : last.outcome === 'refused' ? 'orange.8' : 'yellow.8'}
            className="tocsin-break"
            data-testid="probe-error"
          >
            {last.error}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="probe-latency">
          {last && last.outcome !== 'refused' ? t('probes.ms', { ms: last.latencyMs }) : '—'}
        </Text>
        {p.latency && (
          <Text size="xs" c="dimmed">
            {t('probes.p95', { ms: p.latency.p95 })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="probe-last-check">
          {last ? formatDateTime(last.at, i18n.language) : t('probes.never')}
        </Text>
        {p.uptime24h !== null && (
          <Text size="xs" c="dimmed">
            {t('probes.uptime', { pct: p.uptime24h })}
          </Text>
        )}
      </Table.Td>
      {canManage && (
        <Table.Td>
          <Group gap={6} wrap="nowrap">
            <Button
              size="compact-xs"
              variant="light"
              loading={run.isPending}
              disabled={!p.enabled}
              onClick={() => run.mutate(p.id)}
              data-testid="probe-run"
            >
              {t('probes.runNow')}
            </Button>
            <Button
              size="compact-xs"
              variant="default"
              loading={toggle.isPending}
              onClick={() => toggle.mutate({ id: p.id, enabled: !p.enabled })}
              data-testid="probe-toggle"
            >
              {p.enabled ? t('probes.disable') : t('probes.enable')}
            </Button>
            <ConfirmButton
              size="compact-xs"
              variant="subtle"
              color="red"
              loading={remove.isPending}
              question={t('probes.deleteQuestion')}
              onConfirm={() => remove.mutate(p.id)}
              testId="probe-delete"
            >
              {t('probes.delete')}
            </ConfirmButton>
          </Group>
          <ProblemAlert error={run.error ?? toggle.error ?? remove.error} />
        </Table.Td>
      )}
    </Table.Tr>
  );
}

function ServiceCard({ s, canManage }: { s: ServiceHealth; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const [adding, setAdding] = useState(false);
  const zh = i18n.language.startsWith('zh');
  return (
    <Card withBorder radius="md" data-testid="service-card" data-key={s.serviceKey} data-state={s.state}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Group gap="sm">
            <Title order={4} data-testid="service-name">
              {zh ? s.nameZh : s.nameEn}
            </Title>
            <Text size="sm" c="dimmed">
              {zh ? s.nameEn : s.nameZh} · {s.serviceKey}
            </Text>
          </Group>
          <Group gap="sm">
            <HealthBadge state={s.state} size="lg" testId="service-health" />
            <Text size="xs" c="dimmed">
              {t('probes.since', { time: formatDateTime(s.since, i18n.language) })}
            </Text>
            {canManage && (
              <Button size="xs" variant="light" onClick={() => setAdding(true)} data-testid="probe-add">
                {t('probes.add')}
              </Button>
            )}
          </Group>
        </Group>
        {s.probes.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="service-no-probes">
            {t('probes.none')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={860}>
            {/* Fixed columns, so the cards' tables line up one under another. */}
            <Table verticalSpacing="xs" layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="30%">{t('probes.probe')}</Table.Th>
                  <Table.Th w="20%">{t('probes.stateTitle')}</Table.Th>
                  <Table.Th w="13%">{t('probes.latency')}</Table.Th>
                  <Table.Th w="15%">{t('probes.lastCheck')}</Table.Th>
                  {canManage && <Table.Th w="22%" />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.probes.map((p) => (
                  <ProbeRow key={p.id} p={p} canManage={canManage} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <Modal
        opened={adding}
        onClose={() => setAdding(false)}
        title={t('probes.addTitle', { name: zh ? s.nameZh : s.nameEn })}
        size="lg"
      >
        <ProbeForm serviceKey={s.serviceKey} onDone={() => setAdding(false)} />
      </Modal>
    </Card>
  );
}

export function ServicesPage() {
  const { t } = useTranslation();
  const allowed = useCan('service.read');
  const canManage = useCan('probe.manage');
  const health = useServiceHealth();
  usePageTitle(t('probes.title'));
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md">
      <Title order={2}>{t('probes.title')}</Title>
      <Notice color="blue" variant="light">
        {t('probes.intro')}
      </Notice>
      <QueryView query={health} keepOnError>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState testId="services-empty">{t('probes.noServices')}</EmptyState>
          ) : (
            data.items.map((s) => <ServiceCard key={s.serviceKey} s={s} canManage={canManage} />)
          )
        }
      </QueryView>
    </Stack>
  );
}
