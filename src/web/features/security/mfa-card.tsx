/** Two-factor status of the signed-in user, with enrolment when it is off. */
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { qk } from '../../app/query-keys.js';
import { useSession } from '../../app/session.js';
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
        {user.mfaEnabled && !done && (
          <Text size="sm" data-testid="mfa-on">
            {t('security.mfaDone')}
          </Text>
        )}
        {done && (
          <Alert color="teal" data-testid="mfa-enrolled">
            {t('security.mfaDone')}
          </Alert>
        )}
        {/* The API has no reset: once on, a second factor stays until an administrator intervenes. */}
        {!enrolling && !done && !user.mfaEnabled && (
          <Button onClick={() => setEnrolling(true)} style={{ alignSelf: 'flex-start' }} data-testid="mfa-setup">
            {t('security.mfaSetup')}
          </Button>
        )}
        {enrolling && (
          <MfaEnrol
            autoStart
            onDone={() => {
              setEnrolling(false);
              setDone(true);
              void qc.invalidateQueries({ queryKey: qk.session });
            }}
          />
        )}
      </Stack>
    </Card>
  );
}
