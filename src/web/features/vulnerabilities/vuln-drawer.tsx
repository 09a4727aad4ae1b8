/** One finding in a drawer: what and where, CVSS, CVEs, KEV and EPSS, its history, and a status change. */
import { Button, Code, Drawer, Group, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VULN_TRANSITIONS, type VulnStatus } from '../../../shared/vulnerability-schemas.js';
import { useCan } from '../../app/session.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime, localInputToIso } from '../../ui/time.js';
import { useFinding, useTransition, type VulnFindingDetail } from './vuln-api.js';
import { DueCell, epssText, SeverityBadge, StatusBadge } from './vuln-parts.js';

export function VulnDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const query = useFinding(id);
  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="xl" title={t('vulns.drawer.title')}>
      <QueryView query={query}>{(f) => <FindingBody f={f} />}</QueryView>
    </Drawer>
  );
}

function FindingBody({ f }: { f: VulnFindingDetail }) {
  const { t, i18n } = useTranslation();
  const when = (iso: string | null) => formatDateTime(iso, i18n.language);
  const canManage = useCan('vulnerability.manage');
  return (
    <Stack gap="sm" data-testid="vuln-drawer">
      <Title order={4}>{f.title}</Title>
      <Group gap="xs">
        <SeverityBadge f={f} />
        <StatusBadge status={f.status} />
        <DueCell f={f} when={when} />
      </Group>
      <Table withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          <Row label={t('vulns.col.asset')} value={`${f.asset}${f.port ? ` (${f.port})` : ''}`} />
          <Row label={t('vulns.col.service')} value={f.serviceKey ?? t('vulns.unmapped')} />
          <Row label={t('vulns.drawer.scanner')} value={`${f.scanner} / ${f.scope} · ${f.ruleId}`} />
          <Row label="CVSS" value={f.cvssVector ? `${f.cvssVersion} ${f.cvssVector}` : t('vulns.drawer.noVector')} />
          <Row label="CVE" value={f.cves.join(', ') || '—'} />
          <Row label="EPSS" value={epssText(f)} />
          <Row label={t('vulns.drawer.firstSeen')} value={when(f.firstSeen)} />
          <Row label={t('vulns.drawer.lastSeen')} value={when(f.lastSeen)} />
          {f.status === 'accepted_risk' && (
            <Row label={t('vulns.drawer.accepted')} value={`${f.acceptedReason ?? ''} → ${when(f.acceptedUntil)}`} />
          )}
        </Table.Tbody>
      </Table>
      {f.description && <Text size="sm">{f.description}</Text>}
      {f.solution && (
        <Text size="sm">
          <b>{t('vulns.drawer.solution')}</b> {f.solution}
        </Text>
      )}
      {canManage && <TransitionForm key={f.status} f={f} />}
      <Title order={5}>{t('vulns.drawer.history')}</Title>
      <Table verticalSpacing={4} data-testid="vuln-history">
        <Table.Tbody>
          {f.history.map((h) => (
            <Table.Tr key={`${h.at}-${h.to}-${h.reason}`}>
              <Table.Td>
                <Text size="xs">{when(h.at)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{h.by.label}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {h.from ? t(`vulns.status.${h.from}`) : '—'} → {t(`vulns.status.${h.to}`)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{h.reason}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <Table.Tr>
      <Table.Td w={140}>
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Table.Td>
      <Table.Td>
        <Code>{value}</Code>
      </Table.Td>
    </Table.Tr>
  );
}

function TransitionForm({ f }: { f: VulnFindingDetail }) {
  const { t } = useTranslation();
  const options = VULN_TRANSITIONS[f.status];
  const [to, setTo] = useState<VulnStatus | null>(options[0] ?? null);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const move = useTransition(f.id);
  if (!options.length) return null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!to) return;
        move.mutate(
          { to, reason, ...(to === 'accepted_risk' ? { acceptedUntil: localInputToIso(until) } : {}) },
          { onSuccess: () => setReason('') },
        );
      }}
    >
      <Stack gap="xs">
        <Group gap="xs" align="flex-end">
          <Select
            label={t('vulns.drawer.changeTo')}
            data={options.map((s) => ({ value: s, label: t(`vulns.status.${s}`) }))}
            value={to}
            onChange={(v) => setTo(v as VulnStatus | null)}
            allowDeselect={false}
            w={200}
            data-testid="vuln-transition-to"
          />
          {to === 'accepted_risk' && (
            <TextInput
              type="datetime-local"
              label={t('vulns.drawer.until')}
              value={until}
              onChange={(e) => setUntil(e.currentTarget.value)}
              error={fieldError(move.error, 'acceptedUntil')}
            />
          )}
        </Group>
        <Textarea
          label={t('vulns.drawer.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={2000}
          autosize
          error={fieldError(move.error, 'reason')}
          data-testid="vuln-transition-reason"
        />
        <Group>
          <Button type="submit" loading={move.isPending} data-testid="vuln-transition-submit">
            {t('vulns.drawer.apply')}
          </Button>
        </Group>
        {move.error && !fieldError(move.error, 'reason', 'acceptedUntil') ? <ProblemAlert error={move.error} /> : null}
      </Stack>
    </form>
  );
}
