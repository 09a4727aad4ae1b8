/**
 * "Preserve as evidence" in one click (issue 15): an alert with its events, the attack timeline, an
 * action's connector response become an item of the incident's evidence locker (a canonical JSON
 * snapshot with its hash). Shown only to those who manage evidence; says what was kept, with its hash.
 */
import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { type Snapshot, usePreserve } from './evidence-api.js';

export function PreserveButton({ incidentKey, what, testId }: { incidentKey: string; what: Snapshot; testId: string }) {
  const canManage = useCan('evidence.manage');
  if (!canManage) return null;
  return <Preserve incidentKey={incidentKey} what={what} testId={testId} />;
}

function Preserve({ incidentKey, what, testId }: { incidentKey: string; what: Snapshot; testId: string }) {
  const { t } = useTranslation();
  const preserve = usePreserve(incidentKey);
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="wrap">
        <Button
          size="compact-xs"
          variant="light"
          loading={preserve.isPending}
          onClick={() => preserve.mutate(what)}
          data-testid={testId}
        >
          {t('evidence.preserve')}
        </Button>
        {preserve.data && (
          <Text size="xs" c="teal" data-testid={`${testId}-done`}>
            {t('evidence.preserved', { sha: preserve.data.sha256.slice(0, 12) })}{' '}
            <Anchor component={Link} to={`/incidents/${encodeURIComponent(incidentKey)}/evidence`} size="xs">
              {t('evidence.open')}
            </Anchor>
          </Text>
        )}
      </Group>
      <ProblemAlert error={preserve.error} />
    </Stack>
  );
}
