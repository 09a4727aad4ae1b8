/** The review's facts filled from the data: milestones and durations, regulators, tasks and actions, customers, compensation, timeline. */
import { Card, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDuration, formatMoney } from '../../ui/time.js';
import type { Review } from './reviews-api.js';

type Facts = Review['facts'];

function Part({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" data-testid={`rv-fact-${id}`}>
      <Stack gap="xs">
        <Title order={5}>{title}</Title>
        {children}
      </Stack>
    </Card>
  );
}

function NoData({ withheld }: { withheld?: boolean }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed" data-testid="rv-no-data">
      {withheld ? t('reviews.facts.withheld') : t('reviews.facts.noData')}
    </Text>
  );
}

export function ReviewFacts({ facts }: { facts: Facts }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const zh = lang.startsWith('zh');
  const at = (iso: string | null) => (iso ? formatDateTime(iso, lang) : t('reviews.facts.noData'));
  const dur = (ms: number | null) =>
    ms === null ? t('reviews.facts.noData') : formatDuration(ms, t('reviews.facts.day'));
  const hidden = (p: Facts['withheld'][number]) => facts.withheld.includes(p);
  const d = facts.durations;
  return (
    <Stack gap="md" data-testid="rv-facts">
      <Text size="xs" c="dimmed">
        {t('reviews.facts.fromData')}
      </Text>
      <Part id="durations" title={t('reviews.facts.durations')}>
        <Table data-testid="rv-durations">
          <Table.Tbody>
            {(
              [
                ['toDetect', d.toDetect],
                ['toAcknowledge', d.toAcknowledge],
                ['toContain', d.toContain],
                ['toRecover', d.toRecover],
                ['toFirstPublicStatement', d.toFirstPublicStatement],
                ['toFirstCustomerNotice', d.toFirstCustomerNotice],
              ] as const
            ).map(([k, s]) => (
              <Table.Tr key={k} data-testid={`rv-duration-${k}`}>
                <Table.Td>{t(`reviews.facts.span.${k}`)}</Table.Td>
                <Table.Td>{at(s.to)}</Table.Td>
                <Table.Td>{dur(s.ms)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Part>
      <Part id="regulators" title={t('reviews.facts.regulators')}>
        {facts.regulators ? (
          facts.regulators.map((r) => (
            <Text size="sm" key={`${r.obligation}-${r.stageTitle.en}`}>
              {zh ? r.title['zh-CN'] : r.title.en} · {zh ? r.stageTitle['zh-CN'] : r.stageTitle.en}:{' '}
              {t('reviews.facts.due')} {at(r.due)} · {t('reviews.facts.submitted')} {at(r.submittedAt)} ·{' '}
              {t(`reviews.facts.clock.${r.status as 'running'}`)}
            </Text>
          ))
        ) : (
          <NoData withheld={hidden('regulators')} />
        )}
      </Part>
      <Part id="tasks" title={t('reviews.facts.tasks')}>
        {facts.tasks ? (
          facts.tasks.map((x) => (
            <Text size="sm" key={`${x.createdAt}-${x.title}`}>
              {x.title} · {x.status} · {dur(x.ms)}
            </Text>
          ))
        ) : (
          <NoData withheld={hidden('tasks')} />
        )}
      </Part>
      <Part id="actions" title={t('reviews.facts.actions')}>
        {facts.actions ? (
          facts.actions.map((a) => (
            <Text size="sm" key={`${a.createdAt}-${a.connector}-${a.action}`}>
              {a.connector}/{a.action} · {a.state}
              {a.dryRun ? ` (${t('reviews.facts.dryRun')})` : ''} · {dur(a.ms)}
            </Text>
          ))
        ) : (
          <NoData withheld={hidden('actions')} />
        )}
      </Part>
      <Part id="customers" title={t('reviews.facts.customers')}>
        {facts.customers ? (
          <Text size="sm" data-testid="rv-customers">
            {t('reviews.facts.customerLine', {
              affected: facts.customers.affected ?? t('reviews.facts.noData'),
              inquiries: facts.customers.inquiries,
              breaches: facts.customers.slaBreaches,
              csat:
                facts.customers.csatAverage === null
                  ? t('reviews.facts.noData')
                  : `${facts.customers.csatAverage.toFixed(1)} (${facts.customers.csatResponses})`,
            })}
          </Text>
        ) : (
          <NoData withheld={hidden('customers')} />
        )}
      </Part>
      <Part id="compensation" title={t('reviews.facts.compensation')}>
        {facts.compensation ? (
          facts.compensation.map((c) => (
            <Text size="sm" key={c.currency}>
              {t('reviews.facts.compensationLine', {
                claims: c.claims,
                approved: formatMoney(c.approvedMinor, c.currency, lang),
                paid: formatMoney(c.paidMinor, c.currency, lang),
              })}
            </Text>
          ))
        ) : (
          <NoData withheld={hidden('compensation')} />
        )}
      </Part>
      <Part id="timeline" title={t('reviews.facts.timeline')}>
        {facts.timeline?.length ? (
          <Stack gap={2} mah={360} style={{ overflowY: 'auto' }}>
            {facts.timeline.map((e) => (
              <Text size="xs" key={`${e.at}-${e.kind}-${e.title}`} className="tocsin-break">
                {formatDateTime(e.at, lang)} · {e.title}
              </Text>
            ))}
          </Stack>
        ) : (
          <NoData withheld={hidden('timeline')} />
        )}
      </Part>
    </Stack>
  );
}
