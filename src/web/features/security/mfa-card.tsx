/** Two-factor status of the signed-in user, with enrolment when it is off. */
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { sessionKey, useSession } from '../../app/session.js';
import { MfaEnrol } from '../auth/mfa-enrol.js';

export function MfaCard() {
  const { t } = useTranslation();
  const { user } = useSession();
  const qc = useQueryClient();
  const [enrolling, setEnrolling] = useState(false);
  const [done, setDone] = useState(false);

  return (
    <Card withBorder radius="md" data-testid="mfa-card">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('security.mfaTitle')}</Title>
          <Badge color={user.mfaEnabled ? 'teal' : 'gray'} data-testid="mfa-state">
            {user.mfaEnabled ? t('users.mfaOn') : t('users.mfaOff')}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {t('security.mfaBody')}
        </Text>
        {done && (
          <Alert color="teal" data-testid="mfa-enrolled">
            {t('security.mfaDone')}
          </Alert>
        )}
        {!enrolling && !done && (
          <Button
            variant={user.mfaEnabled ? 'default' : 'filled'}
            onClick={() => setEnrolling(true)}
            style={{ alignSelf: 'flex-start' }}
            data-testid="mfa-setup"
          >
            {user.mfaEnabled ? t('security.mfaReset') : t('security.mfaSetup')}
          </Button>
        )}
        {enrolling && (
          <MfaEnrol
            autoStart
            onDone={() => {
              setEnrolling(false);
              setDone(true);
              void qc.invalidateQueries({ queryKey: sessionKey });
            }}
          />
        )}
      </Stack>
    </Card>
  );
}
