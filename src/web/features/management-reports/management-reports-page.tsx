/**
 * Management reports at /management-reports (issue 16, docs/management-reports.md): the reports made
 * (on request or by the schedule) with their PDF and XLSX to download, and a form to make one for a
 * month, quarter or year in Chinese or English.
 */
import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  PERIOD_HINTS,
  PERIOD_PATTERNS,
  type MgmtReportKind,
  type MgmtReportLang,
} from '../../../shared/management-report-schemas.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { useGenerateReport, useManagementReports } from './management-reports-api.js';

const kb = (n: number) => `${Math.max(1, Math.round(n / 1024))} KB`;

export function ManagementReportsPage() {
  const { t } = useTranslation();
  const allowed = useCan('management_report.read');
  const canGenerate = useCan('management_report.generate');
  usePageTitle(t('mgmtReports.pageTitle'));
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md">
      <Title order={2}>{t('mgmtReports.pageTitle')}</Title>
      <Text size="sm" c="dimmed">
        {t('mgmtReports.intro')}
      </Text>
      {canGenerate && <GenerateForm />}
      <ReportList />
    </Stack>
  );
}

function GenerateForm() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<MgmtReportKind>('monthly');
  const [period, setPeriod] = useState('');
  const [lang, setLang] = useState<MgmtReportLang>('zh');
  const generate = useGenerateReport();
  const valid = PERIOD_PATTERNS[kind].test(period);
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>{t('mgmtReports.generateTitle')}</Title>
        <Group align="flex-end" wrap="wrap">
          <SegmentedControl
            value={kind}
            onChange={(v) => setKind(v as MgmtReportKind)}
            data={(['monthly', 'quarterly', 'annual'] as const).map((k) => ({
              value: k,
              label: t(`mgmtReports.kind.${k}`),
            }))}
            data-testid="mr-kind"
          />
          <TextInput
            label={t('mgmtReports.period')}
            placeholder={PERIOD_HINTS[kind]}
            value={period}
            onChange={(e) => setPeriod(e.currentTarget.value.trim())}
            error={period && !valid ? t('mgmtReports.periodHint', { hint: PERIOD_HINTS[kind] }) : undefined}
            w={160}
            data-testid="mr-period"
          />
          <SegmentedControl
            value={lang}
            onChange={(v) => setLang(v as MgmtReportLang)}
            data={[
              { value: 'zh', label: '中文' },
              { value: 'en', label: 'English' },
            ]}
            data-testid="mr-lang"
          />
          <Button
            disabled={!valid}
            loading={generate.isPending}
            onClick={() => generate.mutate({ kind, period, lang })}
            data-testid="mr-generate"
          >
            {t('mgmtReports.generate')}
          </Button>
        </Group>
        {generate.error && <ProblemAlert error={generate.error} />}
      </Stack>
    </Card>
  );
}

function ReportList() {
  const { t, i18n } = useTranslation();
  const reports = useManagementReports();
  return (
    <QueryView query={reports} keepOnError>
      {(data) =>
        data.items.length === 0 ? (
          <EmptyState>{t('mgmtReports.empty')}</EmptyState>
        ) : (
          <Table striped data-testid="mr-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mgmtReports.colPeriod')}</Table.Th>
                <Table.Th>{t('mgmtReports.colKind')}</Table.Th>
                <Table.Th>{t('mgmtReports.colLang')}</Table.Th>
                <Table.Th>{t('mgmtReports.colBy')}</Table.Th>
                <Table.Th>{t('mgmtReports.colAt')}</Table.Th>
                <Table.Th>{t('mgmtReports.colFiles')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((r) => (
                <Table.Tr key={r.id} data-testid="mr-row">
                  <Table.Td>{r.period}</Table.Td>
                  <Table.Td>{t(`mgmtReports.kind.${r.kind}`)}</Table.Td>
                  <Table.Td>{r.lang === 'zh' ? '中文' : 'English'}</Table.Td>
                  <Table.Td>
                    {r.origin === 'schedule' ? (
                      <Badge variant="light">{t('mgmtReports.scheduled')}</Badge>
                    ) : (
                      r.generatedByName
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(r.generatedAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Group gap="sm">
                      {r.files.map((f) => (
                        <Anchor
                          key={f.format}
                          size="sm"
                          href={`/api/v1/management-reports/${encodeURIComponent(r.id)}/${f.format}`}
                          data-testid={`mr-${f.format}`}
                        >
                          {f.format.toUpperCase()} ({kb(f.bytes)})
                        </Anchor>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )
      }
    </QueryView>
  );
}
