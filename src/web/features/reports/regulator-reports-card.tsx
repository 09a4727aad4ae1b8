/** The war room's "Regulator reports" section: draft a report for an obligation's stage, then each report's path to filing. */
import { Button, Card, Divider, Group, Select, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { ReportItem } from './report-item.js';
import { useIncidentReports, useReportMutations, useReportOptions } from './reports-api.js';

function DraftReport({
  incidentKey,
  create,
}: {
  incidentKey: string;
  create: ReturnType<typeof useReportMutations>['create'];
}) {
  const { t, i18n } = useTranslation();
  const options = useReportOptions(incidentKey);
  const [choice, setChoice] = useState<string | null>(null);
  const zh = i18n.language.startsWith('zh');
  const data = (options.data?.items ?? []).map((o) => ({
    value: `${o.obligation}|${o.stage}`,
    label: `${zh ? o.name['zh-CN'] : o.name.en} · ${t(`reports.stage.${o.stage}`)} · ${t(`reports.applies.${o.applies}`)}`,
  }));
  return (
    <Stack gap={4}>
      <Group gap="xs" align="flex-end">
        <Select
          size="xs"
          style={{ flex: 1 }}
          data={data}
          value={choice}
          onChange={setChoice}
          placeholder={t('reports.pick')}
          aria-label={t('reports.pick')}
          data-testid="report-pick"
        />
        <Button
          size="xs"
          disabled={!choice}
          loading={create.isPending}
          onClick={() => {
            const [obligation, stage] = choice!.split('|') as [string, string];
            create.mutate({ obligation, stage });
          }}
          data-testid="report-draft"
        >
          {t('reports.draft')}
        </Button>
      </Group>
      <ProblemAlert error={create.error} />
    </Stack>
  );
}

export function RegulatorReportsCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canRead = useCan('report.read');
  const canDraft = useCan('report.draft');
  const query = useIncidentReports(incidentKey);
  const m = useReportMutations(incidentKey);
  if (!canRead) return null;
  return (
    <Card withBorder radius="md" data-testid="reports-card">
      <Stack gap="sm">
        <Title order={4}>{t('reports.title')}</Title>
        {canDraft && <DraftReport incidentKey={incidentKey} create={m.create} />}
        <QueryView query={query} compact>
          {(data) =>
            data.items.length === 0 ? (
              <EmptyState compact>{t('reports.empty')}</EmptyState>
            ) : (
              <Stack gap="md">
                {data.items.map((r, n) => (
                  <Stack key={r.id} gap="md">
                    {n > 0 && <Divider />}
                    <ReportItem r={r} m={m} incidentKey={incidentKey} />
                  </Stack>
                ))}
              </Stack>
            )
          }
        </QueryView>
      </Stack>
    </Card>
  );
}
