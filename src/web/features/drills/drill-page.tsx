/**
 * /drills/:id (issue 16): the drill's status with start, end and cancel; its injects with "release now";
 * the score card (each measure met or missed against its target, with the minutes); the after-action
 * report (injects and their answers, and the free text in Markdown, shown as the server sanitized it).
 */
import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { pickZhEn } from '../../ui/localized.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { RichText } from '../media/rich-text.js';
import { DrillActionItems } from './drill-action-items.js';
import { type Drill, useDrill, useDrillMutations } from './drills-api.js';
import { STATUS_COLOR } from './drills-page.js';

const RESULT_COLOR = {
  met: 'green',
  missed: 'red',
  not_reached: 'orange',
  no_target: 'gray',
  withheld: 'gray',
} as const;

function Injects({ d, m }: { d: Drill; m: ReturnType<typeof useDrillMutations> }) {
  const { t, i18n } = useTranslation();
  const canManage = useCan('drill.manage');
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={4}>{t('drills.injects')}</Title>
      <Table.ScrollContainer minWidth={700}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('drills.offset')}</Table.Th>
              <Table.Th>{t('drills.channel')}</Table.Th>
              <Table.Th>{t('drills.inject')}</Table.Th>
              <Table.Th>{t('drills.released')}</Table.Th>
              <Table.Th>{t('drills.answered')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.injects.map((i) => (
              <Table.Tr key={i.id} data-testid="inject-row" data-released={i.releasedAt !== null}>
                <Table.Td>+{t('drills.minutes', { n: i.offsetMinutes })}</Table.Td>
                <Table.Td>{t(`drills.channels.${i.channel}`)}</Table.Td>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {pickZhEn(i.title, i18n.language)}
                  </Text>
                  <Text size="sm" className="tocsin-break">
                    {pickZhEn(i.text, i18n.language)}
                  </Text>
                  {i.expected && (
                    <Text size="xs" c="dimmed">
                      {t('drills.expected')}: {pickZhEn(i.expected, i18n.language)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{i.releasedAt ? formatDateTime(i.releasedAt, i18n.language) : '—'}</Table.Td>
                <Table.Td>
                  {i.answeredAt
                    ? t('drills.answeredIn', { minutes: i.answerMinutes })
                    : i.releasedAt
                      ? t('drills.unanswered')
                      : ''}
                </Table.Td>
                <Table.Td>
                  {canManage && d.status === 'running' && !i.releasedAt && (
                    <Button
                      size="xs"
                      variant="light"
                      loading={m.release.isPending && m.release.variables === i.id}
                      onClick={() => m.release.mutate(i.id)}
                      data-testid="inject-release"
                    >
                      {t('drills.releaseNow')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {m.release.error && <ProblemAlert error={m.release.error} />}
    </Paper>
  );
}

function ScoreCard({ d }: { d: Drill }) {
  const { t } = useTranslation();
  const s = d.score;
  return (
    <Paper withBorder p="md" radius="md" data-testid="drill-score">
      <Group justify="space-between">
        <Title order={4}>{t('drills.score')}</Title>
        {s && (
          <Text fw={700} data-testid="drill-score-total">
            {s.score === null
              ? t('drills.noTargets')
              : t('drills.scoreValue', { met: s.met, targets: s.targets, pct: Math.round(s.score * 100) })}
          </Text>
        )}
      </Group>
      {!s ? (
        <Text c="dimmed">{t('drills.notStarted')}</Text>
      ) : (
        <Table>
          <Table.Tbody>
            {s.measures.map((x) => (
              <Table.Tr key={x.measure} data-testid="measure-row" data-measure={x.measure} data-result={x.result}>
                <Table.Td>{t(`drills.measures.${x.measure}`)}</Table.Td>
                <Table.Td>
                  {x.minutes === null ? t('drills.notReached') : t('drills.minutes', { n: x.minutes })}
                </Table.Td>
                <Table.Td>
                  {x.target
                    ? t(x.target.source === 'plan' ? 'drills.targetPlan' : 'drills.targetRegulator', {
                        n: x.target.minutes,
                        ref: x.target.ref,
                      })
                    : t('drills.noTarget')}
                </Table.Td>
                <Table.Td>
                  <Badge color={RESULT_COLOR[x.result]}>{t(`drills.results.${x.result}`)}</Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function AfterAction({ d, m }: { d: Drill; m: ReturnType<typeof useDrillMutations> }) {
  const { t } = useTranslation();
  const canManage = useCan('drill.manage');
  const [notes, setNotes] = useState(d.notes);
  return (
    <Paper withBorder p="md" radius="md" data-testid="drill-after-action">
      <Stack gap="xs">
        <Title order={4}>{t('drills.afterAction')}</Title>
        {canManage && d.status !== 'cancelled' && (
          <>
            <Textarea
              autosize
              minRows={3}
              value={notes}
              onChange={(e) => setNotes(e.currentTarget.value)}
              data-testid="drill-notes"
            />
            <Group>
              <Button
                size="xs"
                onClick={() => m.update.mutate({ notes })}
                loading={m.update.isPending}
                data-testid="drill-notes-save"
              >
                {t('drills.saveNotes')}
              </Button>
            </Group>
          </>
        )}
        <RichText html={d.notesHtml} testId="drill-notes-html" />
        {m.update.error && <ProblemAlert error={m.update.error} />}
      </Stack>
    </Paper>
  );
}

function DrillView({ d }: { d: Drill }) {
  const { t, i18n } = useTranslation();
  const m = useDrillMutations(d.id);
  const canManage = useCan('drill.manage');
  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Group gap="xs">
            <Badge color={STATUS_COLOR[d.status]} data-testid="drill-status" data-status={d.status}>
              {t(`drills.status.${d.status}`)}
            </Badge>
            <Text size="sm">{t(`drills.kinds.${d.kind}`)}</Text>
            <Text size="sm" c="dimmed">
              {formatDateTime(d.startedAt ?? d.scheduledAt, i18n.language)}
            </Text>
            {d.incidentKey && (
              <Anchor
                component={Link}
                to={`/incidents/${encodeURIComponent(d.incidentKey)}`}
                data-testid="drill-incident"
              >
                {t('drills.warRoom', { key: d.incidentKey })}
              </Anchor>
            )}
          </Group>
          <Text size="sm" className="tocsin-break">
            {pickZhEn(d.scenario, i18n.language)}
          </Text>
          {canManage && (
            <Group gap="xs">
              {d.status === 'scheduled' && (
                <Button onClick={() => m.step.mutate('start')} loading={m.step.isPending} data-testid="drill-start">
                  {t('drills.start')}
                </Button>
              )}
              {d.status === 'running' && (
                <Button
                  color="green"
                  onClick={() => m.step.mutate('end')}
                  loading={m.step.isPending}
                  data-testid="drill-end"
                >
                  {t('drills.end')}
                </Button>
              )}
              {(d.status === 'scheduled' || d.status === 'running') && (
                <Button color="gray" variant="light" onClick={() => m.step.mutate('cancel')} data-testid="drill-cancel">
                  {t('drills.cancel')}
                </Button>
              )}
            </Group>
          )}
          {m.step.error && <ProblemAlert error={m.step.error} />}
        </Stack>
      </Paper>
      <ScoreCard d={d} />
      <Injects d={d} m={m} />
      <AfterAction key={d.updatedAt} d={d} m={m} />
      <DrillActionItems drillId={d.id} />
    </Stack>
  );
}

export function DrillPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const canRead = useCan('drill.read');
  const drill = useDrill(id);
  usePageTitle(drill.data ? `${drill.data.title} · ${t('drills.title')}` : t('drills.title'));
  if (!canRead) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="drill-page">
      <Anchor component={Link} to="/drills" size="sm">
        ← {t('drills.title')}
      </Anchor>
      {drill.data && <Title order={2}>{drill.data.title}</Title>}
      <QueryView query={drill}>{(d) => <DrillView d={d} />}</QueryView>
    </Stack>
  );
}
