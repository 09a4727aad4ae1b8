/** One alert at /alerts/:id: what fired (the rule by name), on what, what became of it, and its events as a table that opens to each one's JSON. */
import { useState } from 'react';
import { Anchor, Badge, Button, Card, Grid, Group, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import type { AlertDetail } from '../../app/types.js';
import { AlertStatusBadge, GradeBadge, LevelBadge } from '../../ui/badges.js';
import { Fact } from '../../ui/fact.js';
import { alertRuleTitle, incidentTitle } from '../../ui/localized.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { useIncidentList } from '../incidents/incidents-api.js';
import { RuleName } from '../rules/rule-name.js';
import { AlertEventsTable } from './alert-events-table.js';
import { PreserveButton } from '../evidence/preserve-button.js';
import { useServiceLabel } from '../services/services-api.js';
import { AlertActions, EntityBadges, GroupLine } from './alert-parts.js';
import { useAlert, useLinkAlert } from './alerts-api.js';

function LinkControl({ alert }: { alert: AlertDetail }) {
  const { t, i18n } = useTranslation();
  const canManage = useCan('alert.manage');
  const link = useLinkAlert();
  const open = useIncidentList({ status: 'active' });
  const [choice, setChoice] = useState<string | null>(null);
  const incidents = (open.data?.pages.flatMap((p) => p.items) ?? []).filter((i) => i.key !== alert.incident?.key);
  if (!canManage) return null;
  return (
    <Stack gap={6}>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          style={{ flex: 1, minWidth: 200 }}
          size="xs"
          searchable
          placeholder={t('alerts.link.placeholder')}
          aria-label={t('alerts.link.placeholder')}
          data={incidents.map((i) => ({ value: i.key, label: `${i.key} · ${incidentTitle(i, i18n.language)}` }))}
          value={choice}
          onChange={setChoice}
          data-testid="alert-link-select"
        />
        <Button
          size="xs"
          variant="light"
          disabled={!choice}
          loading={link.isPending}
          onClick={() =>
            choice && link.mutate({ id: alert.id, incidentKey: choice }, { onSuccess: () => setChoice(null) })
          }
          data-testid="alert-link-submit"
        >
          {t('alerts.link.submit')}
        </Button>
        {alert.incident && (
          <Button
            size="xs"
            variant="subtle"
            color="gray"
            loading={link.isPending}
            onClick={() => link.mutate({ id: alert.id, incidentKey: null })}
            data-testid="alert-unlink"
          >
            {t('alerts.link.unlink')}
          </Button>
        )}
      </Group>
      <ProblemAlert error={link.error} />
    </Stack>
  );
}

export function AlertDetailPage() {
  const { id = '' } = useParams();
  const { i18n } = useTranslation();
  const query = useAlert(id);
  usePageTitle(query.data && alertRuleTitle(query.data, i18n.language));
  return <QueryView query={query}>{(a) => <AlertView a={a} />}</QueryView>;
}

function AlertView({ a }: { a: AlertDetail }) {
  const { t, i18n } = useTranslation();
  const serviceLabel = useServiceLabel();
  const lang = i18n.language;
  return (
    <Stack gap="sm" data-testid="alert-detail" data-id={a.id} data-status={a.status}>
      <Paper withBorder p="sm" radius="md">
        <Stack gap="xs">
          <Anchor component={Link} to="/alerts" size="sm">
            ← {t('alerts.back')}
          </Anchor>
          <Group gap="xs" wrap="wrap">
            <LevelBadge level={a.level} />
            <AlertStatusBadge status={a.status} data-testid="alert-detail-status" />
            <Badge variant="default">{t(`alertKind.${a.kind}`)}</Badge>
          </Group>
          <Title order={2} fz={{ base: 20, sm: 24 }} className="tocsin-break" data-testid="alert-detail-title">
            {alertRuleTitle(a, lang)}
          </Title>
          <GroupLine group={a.group} />
          {a.heldBy && (
            <Text size="sm" c="violet.8" className="tocsin-break" data-testid="alert-held">
              {t(`alerts.heldBy.${a.heldBy.kind}`, {
                reason: a.heldBy.reasonWithheld ? t('alerts.reasonWithheld') : a.heldBy.reason,
              })}
            </Text>
          )}
          {a.acknowledged && (
            <Text size="sm">
              {t('alerts.acknowledgedBy', {
                name: a.acknowledged.by?.name ?? t('timeline.system'),
                at: formatDateTime(a.acknowledged.at, lang, true),
              })}
            </Text>
          )}
          {a.falsePositive && (
            <Text size="sm" className="tocsin-pre" data-testid="alert-fp-reason">
              {t('alerts.falsePositiveBy', {
                name: a.falsePositive.by?.name ?? t('timeline.system'),
                at: formatDateTime(a.falsePositive.at, lang, true),
              })}
              {'\n'}
              {t('alerts.reason')}: {a.falsePositive.reason}
            </Text>
          )}
          <AlertActions alert={a} size="sm" />
        </Stack>
      </Paper>
      <Grid gutter="sm">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder radius="md" padding="sm" h="100%">
            <Stack gap="sm">
              <Title order={4}>{t('alerts.incident')}</Title>
              {a.incident ? (
                <Anchor
                  component={Link}
                  to={`/incidents/${encodeURIComponent(a.incident.key)}`}
                  className="tocsin-break"
                  data-testid="alert-detail-incident"
                >
                  <Text span ff="monospace" fw={600}>
                    {a.incident.key}
                  </Text>{' '}
                  {incidentTitle(a.incident, lang)}
                </Anchor>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('alerts.noIncident')}
                </Text>
              )}
              <LinkControl alert={a} />
              {a.incident && (
                <PreserveButton incidentKey={a.incident.key} what={{ alertId: a.id }} testId="alert-preserve" />
              )}
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="md" padding="sm" h="100%">
            <Stack gap="sm">
              <Title order={4}>{t('alerts.entities')}</Title>
              {a.entities.accounts.length + a.entities.hosts.length + a.entities.ips.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('alerts.noEntities')}
                </Text>
              ) : (
                <EntityBadges entities={a.entities} max={60} />
              )}
              <SimpleGrid cols={{ base: 2, lg: 3 }} spacing="sm">
                <Fact label={t('alerts.rule')}>
                  <RuleName id={a.ruleId} fallback={alertRuleTitle(a, lang)} />
                </Fact>
                <Fact label={t('alerts.count')} testId="alert-detail-count">
                  {t('alerts.seenTitle', { count: a.count, events: a.eventCount })}
                </Fact>
                <Fact label={t('alerts.firstSeen')}>{formatDateTime(a.firstSeenAt, lang, true)}</Fact>
                <Fact label={t('alerts.lastSeen')}>{formatDateTime(a.lastSeenAt, lang, true)}</Fact>
                <Fact label={t('alerts.suggested')}>
                  <Group gap={4}>
                    <GradeBadge grade={a.suggested.grade} size="sm" />
                    <Text size="sm">{t(`category.${a.suggested.category}`)}</Text>
                  </Group>
                </Fact>
                {a.services.length > 0 && (
                  <Fact label={t('alerts.services')}>
                    {a.services.map(serviceLabel).join(t('common.listSeparator'))}
                  </Fact>
                )}
              </SimpleGrid>
              {a.group && (
                <Fact label={t('alerts.group')}>
                  <GroupLine group={a.group} />
                </Fact>
              )}
              {a.tags.length > 0 && (
                <Fact label={t('alerts.tags')}>
                  <Group gap={4}>
                    {a.tags.map((tag) => (
                      <Badge key={tag} size="sm" variant="outline" color="gray" tt="none">
                        {tag}
                      </Badge>
                    ))}
                  </Group>
                </Fact>
              )}
              <Fact label={t('alerts.fingerprint')}>
                <Text span size="xs" ff="monospace">
                  {a.fingerprint}
                </Text>
              </Fact>
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
      <Card withBorder radius="md" padding="sm" data-testid="alert-events">
        <Stack gap={4}>
          <Group gap="sm" align="baseline">
            <Title order={4}>{t('alerts.eventsTitle')}</Title>
            <Text size="xs" c="dimmed">
              {t('alerts.eventsKept', { kept: a.events.length, total: a.eventCount })}
            </Text>
          </Group>
          {a.events.length > 0 && <AlertEventsTable events={a.events} />}
        </Stack>
      </Card>
    </Stack>
  );
}
