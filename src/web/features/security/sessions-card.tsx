/** Sign out everywhere (issue 17): the signed-in person ends every session of theirs, this one included. */
import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useSignOutEverywhere } from '../settings/session-policy-api.js';

export function SessionsCard() {
  const { t } = useTranslation();
  const signOut = useSignOutEverywhere();
  return (
    <Card withBorder radius="md" data-testid="sessions-card">
      <Stack gap="sm">
        <Title order={4}>{t('sessionPolicy.signOutEverywhereTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('sessionPolicy.signOutEverywhereBody')}
        </Text>
        {signOut.error && <ProblemAlert error={signOut.error} />}
        <Group>
          <ConfirmButton
            color="red"
            variant="light"
            loading={signOut.isPending}
            question={t('sessionPolicy.signOutEverywhereConfirm')}
            onConfirm={() => signOut.mutate()}
            testId="sign-out-everywhere"
          >
            {t('sessionPolicy.signOutEverywhere')}
          </ConfirmButton>
        </Group>
      </Stack>
    </Card>
  );
}
