/** One rule at /rules/:id: what it is, where it comes from, its state and hits, what it uses or is used by, and its YAML (read-only). */
import { Anchor, Badge, Card, Code, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { RuleDetail, RuleRef } from '../../../shared/rule-schemas.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { LevelBadge } from '../../ui/badges.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { Fact } from '../../ui/fact.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { EnabledControl } from './rule-parts.js';
import { logsourceText, rulePath, ruleTitle, useDeleteRule, useRule } from './rules-api.js';

function RefList({ title, refs, testId }: { title: string; refs: RuleRef[]; testId: string }) {
  const { t, i18n } = useTranslation();
  if (!refs.length) return null;
  return (
    <Card withBorder radius="md" data-testid={testId}>
      <Title order={5} mb="xs">
        {title}
      </Title>
      <List size="sm" spacing={4}>
        {refs.map((r) => (
          <List.Item key={r.ref}>
            {r.id ? (
              <Anchor component={Link} to={rulePath(r.id)} size="sm">
                {ruleTitle({ title: r.title ?? r.ref, titleZh: r.titleZh }, i18n.language)}
              </Anchor>
            ) : (
              <Text span size="sm" c="red.8">
                {t('rules.detail.missing')}
              </Text>
            )}
            <Text span size="xs" c="dimmed" ff="monospace">
              {' '}
              {r.ref}
            </Text>
            {r.enabled === false && (
              <Badge size="xs" ml={6} color="gray" variant="light">
                {t('rules.disabled')}
              </Badge>
            )}
          </List.Item>
        ))}
      </List>
    </Card>
  );
}

export function RuleDetailPage() {
  const { id = '' } = useParams();
  const { i18n } = useTranslation();
  const query = useRule(id);
  usePageTitle(query.data && ruleTitle(query.data, i18n.language));
  return <QueryView query={query}>{(r) => <RuleView r={r} />}</QueryView>;
}

function RuleView({ r }: { r: RuleDetail }) {
  const { t, i18n } = useTranslation();
  const canManage = useCan('rule.manage');
  const navigate = useNavigate();
  const remove = useDeleteRule();
  const lang = i18n.language;
  const other = lang === 'zh-CN' ? r.title : r.titleZh;
  return (
    <Stack gap="md" data-testid="rule-detail" data-id={r.id}>
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Anchor component={Link} to="/rules" size="sm">
            ← {t('rules.back')}
          </Anchor>
          <Group gap="xs" wrap="wrap">
            {r.level && <LevelBadge level={r.level} />}
            <Badge variant="default">{t(`rules.kind.${r.kind}`)}</Badge>
            {!r.reported && (
              <Badge variant="outline" color="gray" title={t('rules.feedsOnlyHint')}>
                {t('rules.feedsOnly')}
              </Badge>
            )}
          </Group>
          <Title order={2} size="h3" className="tocsin-break" data-testid="rule-detail-title">
            {ruleTitle(r, lang)}
          </Title>
          {other && other !== ruleTitle(r, lang) && (
            <Text size="sm" c="dimmed" className="tocsin-break">
              {other}
            </Text>
          )}
          {r.error && <ProblemAlert error={new Error(r.error)} title={t('rules.notCompiled')} />}
          <Group gap="md" wrap="wrap" align="center">
            <EnabledControl rule={r} withLabel />
            {canManage && r.origin === 'uploaded' && (
              <ConfirmButton
                size="compact-sm"
                variant="subtle"
                color="red"
                loading={remove.isPending}
                question={t('rules.detail.deleteQuestion')}
                onConfirm={() => remove.mutate(r.id, { onSuccess: () => navigate('/rules') })}
                testId="rule-delete"
              >
                {t('rules.detail.delete')}
              </ConfirmButton>
            )}
          </Group>
          <ProblemAlert error={remove.error} />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
            <Fact label={t('rules.detail.id')}>
              <Text span ff="monospace" size="sm">
                {r.id}
              </Text>
            </Fact>
            <Fact label={t('rules.detail.origin')}>
              {t(`rules.origin.${r.origin}`)} ·{' '}
              <Text span ff="monospace" size="sm">
                {r.file}
              </Text>
            </Fact>
            <Fact label={t('rules.col.logsource')}>{logsourceText(r.logsource)}</Fact>
            <Fact label={t('rules.col.hits')} testId="rule-detail-hits">
              {r.hits.toLocaleString(lang)}
              {r.lastHitAt && ` · ${formatDateTime(r.lastHitAt, lang)}`}
            </Fact>
            {r.uploaded && (
              <Fact label={t('rules.detail.uploaded')}>
                {r.uploaded.by?.name ?? '—'} · {formatDateTime(r.uploaded.at, lang)}
              </Fact>
            )}
            {r.changed && (
              <Fact label={t('rules.detail.changed')}>
                {r.changed.by?.name ?? '—'} · {formatDateTime(r.changed.at, lang)}
              </Fact>
            )}
            {r.tags.length > 0 && (
              <Fact label={t('rules.detail.tags')}>
                <Group gap={4} wrap="wrap">
                  {r.tags.map((tag) => (
                    <Badge key={tag} size="xs" variant="outline" color="gray" tt="none">
                      {tag}
                    </Badge>
                  ))}
                </Group>
              </Fact>
            )}
          </SimpleGrid>
        </Stack>
      </Paper>
      <RefList
        title={r.kind === 'filter' ? t('rules.detail.appliesTo') : t('rules.detail.uses')}
        refs={r.references}
        testId="rule-references"
      />
      <RefList
        title={t('rules.detail.usedBy')}
        refs={r.usedBy.map((u) => ({ ...u, ref: u.id ?? u.ref }))}
        testId="rule-used-by"
      />
      <Card withBorder radius="md">
        <Title order={5} mb="xs">
          {t('rules.detail.yaml')}
        </Title>
        <Code
          block
          style={{ maxHeight: 560, overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          data-testid="rule-yaml"
        >
          {r.yaml}
        </Code>
      </Card>
    </Stack>
  );
}
