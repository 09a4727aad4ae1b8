/** The war room's "Facts & rumors": the incident's rumor-vs-fact register with counts by verdict. */
import { Badge, Card, Group, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FactRegister } from './fact-register.js';
import { useMediaSummary } from './media-api.js';
import { WHOLE } from '../status-site/status-parts.js';

export function RumorsCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const summary = useMediaSummary(incidentKey);
  const falseCount = summary.data?.rumors.false ?? 0;
  return (
    <Card withBorder radius="md" data-testid="rumors">
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={4}>{t('rumors.title')}</Title>
          {falseCount > 0 && (
            <Badge color="red" variant="light" data-testid="rumors-false-count" {...WHOLE}>
              {t('rumors.falseCount', { count: falseCount })}
            </Badge>
          )}
        </Group>
        <FactRegister incidentKey={incidentKey} />
      </Stack>
    </Card>
  );
}
