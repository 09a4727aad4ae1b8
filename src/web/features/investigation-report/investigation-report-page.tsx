/**
 * An incident's investigation report at /incidents/:key/investigation-report (issue 15): edit the written
 * sections and the public summary, read the sections filled from the data, submit, approve or request
 * changes (shown to those who may), download PDF/DOCX, publish the summary; the state and who did what.
 */
import { Anchor, Badge, Button, Grid, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { FilledSections } from './filled-sections.js';
import {
  type InvestigationReport,
  reportFileUrl,
  useInvestigationReport,
  useReportMutations,
} from './investigation-report-api.js';
import { ReportEditor } from './report-editor.js';

const STATE_COLOR: Record<InvestigationReport['state'], string> = {
  draft: 'gray',
  in_review: 'yellow',
  approved: 'green',
};

function History({ r }: { r: InvestigationReport }) {
  const { t, i18n } = useTranslation();
  const line = (
    what: 'updated' | 'submitted' | 'approved' | 'published',
    step: { by: { name: string | null } | null; at: string } | null,
    extra = '',
  ) =>
    step && (
      <Text size="xs" c="dimmed" data-testid={`ir-history-${what}`}>
        {t(`investigationReport.history.${what}`, {
          name: step.by?.name ?? '—',
          at: formatDateTime(step.at, i18n.language),
        })}
        {extra}
      </Text>
    );
  return (
    <Stack gap={2}>
      {line('updated', r.updated)}
      {line('submitted', r.submitted)}
      {line('approved', r.approved, r.approved ? ` · r${r.approved.revision}` : '')}
      {line('published', r.published, r.published ? ` · r${r.published.revision}` : '')}
    </Stack>
  );
}

function Workflow({ r, m }: { r: InvestigationReport; m: ReturnType<typeof useReportMutations> }) {
  const { t } = useTranslation();
  const mayReview = useCan('investigation.report.approve');
  const [comment, setComment] = useState('');
  return (
    <Stack gap="xs">
      {r.changesRequested && r.state === 'draft' && (
        <Paper withBorder p="xs" radius="sm" bg="var(--mantine-color-yellow-light)" data-testid="ir-changes-requested">
          <Text size="sm" fw={600}>
            {t('investigationReport.changesRequestedBy', { name: r.changesRequested.by?.name ?? '—' })}
          </Text>
          <Text size="sm" className="tocsin-break">
            {r.changesRequested.comment}
          </Text>
        </Paper>
      )}
      <Group gap="xs">
        {r.can.submit && (
          <Button size="sm" onClick={() => m.step.mutate('submit')} loading={m.step.isPending} data-testid="ir-submit">
            {t('investigationReport.submit')}
          </Button>
        )}
        {r.can.approve && (
          <Button
            size="sm"
            color="green"
            onClick={() => m.step.mutate('approve')}
            loading={m.step.isPending}
            data-testid="ir-approve"
          >
            {t('investigationReport.approve')}
          </Button>
        )}
        {r.can.publish && (
          <Button
            size="sm"
            color="teal"
            variant={r.published?.revision === r.revision ? 'light' : 'filled'}
            onClick={() => m.step.mutate('publish')}
            loading={m.step.isPending}
            data-testid="ir-publish"
          >
            {r.published ? t('investigationReport.republish') : t('investigationReport.publish')}
          </Button>
        )}
      </Group>
      {r.state === 'in_review' && !r.can.approve && (
        <Text size="sm" c="dimmed" data-testid="ir-awaiting">
          {t('investigationReport.awaiting')}
        </Text>
      )}
      {r.state === 'in_review' && mayReview && (
        <Group gap="xs" align="flex-end">
          <Textarea
            style={{ flex: 1 }}
            autosize
            minRows={1}
            label={t('investigationReport.comment')}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            data-testid="ir-comment"
          />
          <Button
            color="orange"
            variant="light"
            disabled={!comment.trim()}
            onClick={() => m.requestChanges.mutate(comment.trim(), { onSuccess: () => setComment('') })}
            data-testid="ir-request-changes"
          >
            {t('investigationReport.requestChanges')}
          </Button>
        </Group>
      )}
      {r.published && (
        <Text size="sm" data-testid="ir-published">
          {t('investigationReport.publishedAt')}{' '}
          <Anchor href={r.published.path} target="_blank" rel="noopener">
            {r.published.path}
          </Anchor>
        </Text>
      )}
      {m.step.error && <ProblemAlert error={m.step.error} />}
      {m.requestChanges.error && <ProblemAlert error={m.requestChanges.error} />}
    </Stack>
  );
}

function Downloads({ r }: { r: InvestigationReport }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <Text size="sm">{t('investigationReport.download')}</Text>
      {(['pdf', 'docx'] as const).flatMap((f) =>
        (['zh-CN', 'en'] as const).map((lang) => (
          <Anchor
            key={`${f}-${lang}`}
            size="sm"
            href={reportFileUrl(r.incidentKey, f, lang)}
            data-testid={`ir-${f}-${lang}`}
          >
            {f.toUpperCase()} ({lang === 'zh-CN' ? '中文' : 'English'})
          </Anchor>
        )),
      )}
    </Group>
  );
}

function Report({ r }: { r: InvestigationReport }) {
  const { t } = useTranslation();
  const m = useReportMutations(r.incidentKey);
  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Group gap="xs">
            <Badge color={STATE_COLOR[r.state]} data-testid="ir-state" data-state={r.state}>
              {t(`investigationReport.state.${r.state}`)}
            </Badge>
            <Text size="sm" c="dimmed" data-testid="ir-revision">
              {t('investigationReport.revision', { n: r.revision })}
            </Text>
          </Group>
          <History r={r} />
          <Workflow r={r} m={m} />
          <Downloads r={r} />
        </Stack>
      </Paper>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <ReportEditor key={r.revision} r={r} m={m} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <FilledSections filled={r.filled} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export function InvestigationReportPage() {
  const { key = '' } = useParams();
  const { t } = useTranslation();
  const canRead = useCan('investigation.read');
  const report = useInvestigationReport(key);
  usePageTitle(`${key} · ${t('investigationReport.title')}`);
  if (!canRead) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="investigation-report-page" data-key={key}>
      <Stack gap={4}>
        <Anchor component={Link} to={`/incidents/${encodeURIComponent(key)}`} size="sm" data-testid="ir-back">
          ← {t('investigationReport.back', { key })}
        </Anchor>
        <Title order={2} fz={{ base: 20, sm: 26 }}>
          {t('investigationReport.title')} · {key}
        </Title>
        {report.data && <Text className="tocsin-break">{report.data.incidentTitle}</Text>}
      </Stack>
      <QueryView query={report}>{(r) => <Report r={r} />}</QueryView>
    </Stack>
  );
}
