/** The report's sections filled from the data: timeline, attack path, impact, evidence with hashes, IOCs. */
import { Badge, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/time.js';
import type { InvestigationReport } from './investigation-report-api.js';

type Filled = InvestigationReport['filled'];
type Part = Filled['withheld'][number];

function Section({ part, filled, children }: { part: Part; filled: Filled; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card withBorder radius="md" data-testid={`ir-filled-${part}`}>
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={5}>{t(`investigationReport.filled.${part}`)}</Title>
          <Badge size="xs" variant="light" color="gray">
            {t('investigationReport.fromData')}
          </Badge>
        </Group>
        {filled.withheld.includes(part) ? (
          <Text size="sm" c="dimmed">
            {t('investigationReport.withheld')}
          </Text>
        ) : (
          children
        )}
      </Stack>
    </Card>
  );
}

const None = () => {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed">
      {t('investigationReport.none')}
    </Text>
  );
};

export function FilledSections({ filled }: { filled: Filled }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const marks = (Object.entries(filled.timeline.marks) as [keyof Filled['timeline']['marks'], string | null][]).filter(
    ([, at]) => at,
  );
  const im = filled.impact;
  const iocCounts = Object.entries(filled.iocs.counts);
  return (
    <Stack gap="md">
      <Section part="timeline" filled={filled}>
        {marks.length > 0 && (
          <Group gap="xs">
            {marks.map(([k, at]) => (
              <Badge key={k} variant="light">
                {t(`attackTimeline.mark.${k}`)} · {formatDateTime(at, i18n.language)}
              </Badge>
            ))}
          </Group>
        )}
        {filled.timeline.items.length === 0 ? (
          <None />
        ) : (
          <Stack gap={2}>
            {filled.timeline.items.slice(0, 60).map((i) => (
              <Text key={`${i.at}-${i.kind}-${i.title}`} size="xs" className="tocsin-break">
                <Text span ff="monospace" size="xs" c="dimmed">
                  {formatDateTime(i.at, i18n.language)}
                </Text>{' '}
                {i.title}
              </Text>
            ))}
          </Stack>
        )}
      </Section>
      <Section part="attackPath" filled={filled}>
        {filled.attackPath.length === 0 ? (
          <None />
        ) : (
          filled.attackPath.map((tac) => (
            <Text key={tac.tactic.id} size="sm">
              <b>{zh ? tac.tactic.nameZh : tac.tactic.name}</b> ({tac.tactic.id}):{' '}
              {tac.techniques.map((x) => `${x.id} ${x.name}`).join('; ')}
            </Text>
          ))
        )}
      </Section>
      <Section part="impact" filled={filled}>
        <Text size="sm">
          {t('investigationReport.services', {
            list:
              im.services.map((s) => (zh ? s.nameZh : s.nameEn)).join(zh ? '、' : ', ') ||
              t('investigationReport.none'),
          })}
        </Text>
        {im.sets.map((s) => (
          <Text key={s.name} size="sm">
            {t('investigationReport.set', { name: s.name, count: s.customerCount })}
          </Text>
        ))}
        {im.customersAffected !== null && (
          <Text size="sm">{t('investigationReport.customersAffected', { count: im.customersAffected })}</Text>
        )}
        {im.recordsExposed !== null && (
          <Text size="sm">{t('investigationReport.recordsExposed', { count: im.recordsExposed })}</Text>
        )}
      </Section>
      <Section part="evidence" filled={filled}>
        {filled.evidence.length === 0 ? (
          <None />
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table fz="xs" withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('investigationReport.evidenceName')}</Table.Th>
                  <Table.Th>SHA-256 / MD5</Table.Th>
                  <Table.Th>{t('investigationReport.bytes')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {filled.evidence.map((e) => (
                  <Table.Tr key={`${e.sha256}-${e.name}`}>
                    <Table.Td className="tocsin-break">{e.name}</Table.Td>
                    <Table.Td>
                      <Code fz="xs">{e.sha256}</Code>
                      <br />
                      <Code fz="xs">{e.md5}</Code>
                    </Table.Td>
                    <Table.Td>{e.bytes.toLocaleString(i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>
      <Section part="iocs" filled={filled}>
        {iocCounts.length === 0 ? (
          <None />
        ) : (
          <>
            <Group gap="xs">
              {iocCounts.map(([type, n]) => (
                <Badge key={type} variant="outline">
                  {type} · {n}
                </Badge>
              ))}
            </Group>
            <Stack gap={0}>
              {filled.iocs.items.slice(0, 100).map((i) => (
                <Text key={`${i.type}-${i.value}`} size="xs" ff="monospace" className="tocsin-break">
                  {i.type} {i.value} TLP:{i.tlp.toUpperCase()}
                </Text>
              ))}
            </Stack>
          </>
        )}
      </Section>
    </Stack>
  );
}
