/** Impact facts and descriptive fields of the incident. */
import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../app/types.js';
import { useServiceName } from '../../ui/enum-options.js';
import { Fact } from '../../ui/fact.js';
import { formatDateTime, formatMoney } from '../../ui/time.js';
import { useSummaryText } from './summary-text.js';

export function FactsCard({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation();
  const serviceName = useServiceName();
  const summary = useSummaryText()(incident);
  const lang = i18n.language;
  const num = (n: number | null) => (n === null ? t('common.unknown') : new Intl.NumberFormat(lang).format(n));
  const { impact } = incident;
  return (
    <Card withBorder radius="md" data-testid="facts">
      <Stack gap="sm">
        <Title order={4}>{t('incident.impact')}</Title>
        <SimpleGrid cols={2} spacing="sm">
          <Fact label={t('impact.customersAffected')} testId="impact-customers">
            {num(impact.customersAffected)}
          </Fact>
          <Fact label={t('impact.recordsExposed')} testId="impact-records">
            {num(impact.recordsExposed)}
          </Fact>
          <Fact label={t('impact.fundsAtRisk')} testId="impact-funds">
            {impact.fundsAtRisk
              ? formatMoney(impact.fundsAtRisk.amountMinor, impact.fundsAtRisk.currency, lang)
              : t('common.unknown')}
          </Fact>
          <Fact label={t('impact.tradingInterrupted')} testId="impact-trading">
            {impact.tradingInterrupted ? t('common.yes') : t('common.no')}
          </Fact>
          <Fact label={t('incident.category')}>{t(`category.${incident.category}`)}</Fact>
          <Fact label={t('incident.commander')}>{incident.commander?.name ?? t('common.none')}</Fact>
          <Fact label={t('incident.detectedAt')}>{formatDateTime(incident.milestones.detectedAt, lang, true)}</Fact>
          <Fact label={t('incident.updatedAt')}>{formatDateTime(incident.updatedAt, lang, true)}</Fact>
        </SimpleGrid>
        {incident.services.length > 0 && (
          <div>
            <Text size="xs" c="dimmed">
              {t('incident.services')}
            </Text>
            <Group gap={4}>
              {incident.services.map((s) => (
                <Badge key={s.key} variant="light" color="gray" tt="none">
                  {serviceName(s)}
                </Badge>
              ))}
            </Group>
          </div>
        )}
        {incident.tags.length > 0 && (
          <div>
            <Text size="xs" c="dimmed">
              {t('incident.tags')}
            </Text>
            <Group gap={4}>
              {incident.tags.map((tag) => (
                <Badge key={tag} variant="outline" color="gray" tt="none">
                  {tag}
                </Badge>
              ))}
            </Group>
          </div>
        )}
        {summary && (
          <div>
            <Text size="xs" c="dimmed">
              {t('incident.summary')}
            </Text>
            <Text size="sm" className="tocsin-pre" data-testid="incident-summary">
              {summary}
            </Text>
          </div>
        )}
      </Stack>
    </Card>
  );
}
