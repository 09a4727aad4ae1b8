/**
 * One statement at /statements/:id: its kind, incident, state and flags; the editor (both languages, the
 * status-site fields) with the server-rendered preview; the approval path's buttons; reviews and
 * publication; versions with diffs.
 */
import { Anchor, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { StatementEditor } from './statement-editor.js';
import { ContradictionAlert, KindBadge, ReviewCount, StatementStateBadge } from './statement-parts.js';
import { ReviewsCard } from './statement-reviews.js';
import { VersionsCard } from './statement-versions.js';
import { WorkflowCard } from './statement-workflow.js';
import { type Statement, statementTitle, useStatement } from './statements-api.js';

export function StatementPage() {
  const { id = '' } = useParams();
  const { i18n } = useTranslation();
  const query = useStatement(id);
  usePageTitle(query.data && statementTitle(query.data.version, i18n.language));
  return <QueryView query={query}>{(s) => <StatementView s={s} />}</QueryView>;
}

function StatementView({ s }: { s: Statement }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="md" data-testid="statement-detail" data-id={s.id} data-state={s.state}>
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Group gap="md" wrap="wrap">
            <Anchor component={Link} to="/statements" size="sm">
              ← {t('statements.back')}
            </Anchor>
            <Anchor component={Link} to={`/incidents/${encodeURIComponent(s.incidentKey)}`} size="sm">
              {t('statements.toWarRoom', { key: s.incidentKey })}
            </Anchor>
          </Group>
          <Group gap="xs" wrap="wrap">
            <StatementStateBadge state={s.state} testId="statement-state" />
            <KindBadge kind={s.kind} />
            <Text size="sm" c="dimmed">
              {t(`statements.scenario.${s.scenario}`)} · {t('statements.versionN', { n: s.version.n })}
            </Text>
            <ReviewCount s={s} />
          </Group>
          <Title order={2} size="h3" className="tocsin-break" data-testid="statement-heading">
            {statementTitle(s.version, i18n.language)}
          </Title>
          <Text size="xs" c="dimmed">
            {t('statements.lastEdit', {
              name: s.version.author.name,
              at: formatDateTime(s.version.createdAt, i18n.language),
            })}
          </Text>
        </Stack>
      </Paper>
      <ContradictionAlert s={s} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <StatementEditor key={`${s.id}:${s.version.n}`} statement={s} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <WorkflowCard s={s} />
            <ReviewsCard s={s} />
            <VersionsCard id={s.id} current={s.version.n} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
