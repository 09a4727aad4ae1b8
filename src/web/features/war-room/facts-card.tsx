/** Impact facts and descriptive fields of the incident. */
import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../app/types.js';
import { useServiceName } from '../../ui/enum-options.js';
import { formatDateTime, formatMoney } from '../../ui/time.js';

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} className="tocsin-break" data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

export function FactsCard({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation();
  const serviceName = useServiceName();
  const lang = i18n.language;
  const num = (n: number | null) => (n === null ? t('common.unknown') : new Intl.NumberFormat(lang).format(n));
  const { impact } = incident;
  return (
    <Card withBorder radius="md" data-testid="facts">
      <Stack gap="sm">
        <Title order={4}>{t('incident.impact')}</Title>
        <SimpleGrid cols={2} spacing="sm">
          <Fact label={t('impact.customersAffected')} value={num(impact.customersAffected)} testId="impact-customers" />
          <Fact label={t('impact.recordsExposed')} value={num(impact.recordsExposed)} testId="impact-records" />
          <Fact
            label={t('impact.fundsAtRisk')}
            value={
              impact.fundsAtRisk
                ? formatMoney(impact.fundsAtRisk.amountMinor, impact.fundsAtRisk.currency, lang)
                : t('common.unknown')
            }
            testId="impact-funds"
          />
          <Fact
            label={t('impact.tradingInterrupted')}
            value={impact.tradingInterrupted ? t('common.yes') : t('common.no')}
            testId="impact-trading"
          />
          <Fact label={t('incident.category')} value={t(`category.${incident.category}`)} />
          <Fact label={t('incident.commander')} value={incident.commander?.name ?? t('common.none')} />
          <Fact label={t('incident.detectedAt')} value={formatDateTime(incident.milestones.detectedAt, lang, true)} />
          <Fact label={t('incident.updatedAt')} value={formatDateTime(incident.updatedAt, lang, true)} />
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
        {incident.summary && (
          <div>
            <Text size="xs" c="dimmed">
              {t('incident.summary')}
            </Text>
            <Text size="sm" className="tocsin-pre" data-testid="incident-summary">
              {incident.summary}
            </Text>
          </div>
        )}
      </Stack>
    </Card>
  );
}
