/**
 * Vulnerabilities at /vulnerabilities (issue 16): findings from scanner imports with filters (severity,
 * status, service, past SLA, KEV) and sorting (severity, due date, EPSS), the SLA-breach and KEV badges,
 * a finding's drawer with its history and status change, and the import form showing the import's result.
 */
import { Card, Checkbox, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VULN_SEVERITIES, VULN_STATUSES } from '../../../shared/vulnerability-schemas.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { type FindingFilters, useFindings } from './vuln-api.js';
import { VulnDrawer } from './vuln-drawer.js';
import { VulnImportForm } from './vuln-import-form.js';
import { VulnSettings } from './vuln-settings.js';
import { DueCell, epssText, SeverityBadge, StatusBadge } from './vuln-parts.js';

const START: FindingFilters = { severity: '', status: '', service: '', pastSla: false, kev: false, sort: 'severity' };

export function VulnerabilitiesPage() {
  const { t, i18n } = useTranslation();
  const allowed = useCan('vulnerability.read');
  const canManage = useCan('vulnerability.manage');
  usePageTitle(t('vulns.title'));
  const [filters, setFilters] = useState<FindingFilters>(START);
  const [open, setOpen] = useState<string | null>(null);
  const query = useFindings(filters);
  const when = (iso: string | null) => formatDateTime(iso, i18n.language);
  const set = <K extends keyof FindingFilters>(k: K, v: FindingFilters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md">
      <Title order={2}>{t('vulns.title')}</Title>
      {canManage && <VulnImportForm />}
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('vulns.filter.severity')}
          clearable
          data={VULN_SEVERITIES.map((s) => ({ value: s, label: t(`vulns.severity.${s}`) }))}
          value={filters.severity || null}
          onChange={(v) => set('severity', v ?? '')}
          w={150}
        />
        <Select
          label={t('vulns.filter.status')}
          clearable
          data={VULN_STATUSES.map((s) => ({ value: s, label: t(`vulns.status.${s}`) }))}
          value={filters.status || null}
          onChange={(v) => set('status', v ?? '')}
          w={170}
        />
        <TextInput
          label={t('vulns.filter.service')}
          value={filters.service}
          onChange={(e) => set('service', e.currentTarget.value)}
          w={170}
        />
        <Select
          label={t('vulns.filter.sort')}
          data={(['severity', 'due', 'epss', 'first_seen'] as const).map((s) => ({
            value: s,
            label: t(`vulns.sort.${s}`),
          }))}
          value={filters.sort}
          onChange={(v) => set('sort', v ?? 'severity')}
          allowDeselect={false}
          w={170}
          data-testid="vuln-sort"
        />
        <Checkbox
          label={t('vulns.filter.pastSla')}
          checked={filters.pastSla}
          onChange={(e) => set('pastSla', e.currentTarget.checked)}
          data-testid="vuln-filter-past-sla"
        />
        <Checkbox
          label={t('vulns.filter.kev')}
          checked={filters.kev}
          onChange={(e) => set('kev', e.currentTarget.checked)}
        />
      </Group>
      <Card withBorder radius="md" p={0}>
        <QueryView query={query} keepOnError>
          {({ items, total }) =>
            items.length === 0 ? (
              <EmptyState>{t('vulns.empty')}</EmptyState>
            ) : (
              <Table.ScrollContainer minWidth={1000}>
                <Table verticalSpacing="xs" highlightOnHover data-testid="vuln-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('vulns.col.severity')}</Table.Th>
                      <Table.Th>{t('vulns.col.title')}</Table.Th>
                      <Table.Th>{t('vulns.col.asset')}</Table.Th>
                      <Table.Th>{t('vulns.col.service')}</Table.Th>
                      <Table.Th>{t('vulns.col.status')}</Table.Th>
                      <Table.Th>{t('vulns.col.due')}</Table.Th>
                      <Table.Th>EPSS</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((f) => (
                      <Table.Tr
                        key={f.id}
                        onClick={() => setOpen(f.id)}
                        style={{ cursor: 'pointer' }}
                        data-testid="vuln-row"
                      >
                        <Table.Td>
                          <SeverityBadge f={f} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{f.title}</Text>
                          {f.cves.length > 0 && (
                            <Text size="xs" c="dimmed">
                              {f.cves.slice(0, 3).join(', ')}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{f.asset}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{f.serviceKey ?? '—'}</Text>
                        </Table.Td>
                        <Table.Td>
                          <StatusBadge status={f.status} />
                        </Table.Td>
                        <Table.Td>
                          <DueCell f={f} when={when} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{epssText(f)}</Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <Text size="xs" c="dimmed" p="xs">
                  {t('vulns.shown', { shown: items.length, total })}
                </Text>
              </Table.ScrollContainer>
            )
          }
        </QueryView>
      </Card>
      <VulnSettings />
      <VulnDrawer id={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}
