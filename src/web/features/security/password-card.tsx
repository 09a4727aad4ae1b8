/** The signed-in user's own password change on the security page. */
import { Card, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { applySession, useSession } from '../../app/session.js';
import { PasswordChangeForm } from '../auth/password-change-form.js';

export function PasswordCard() {
  const { t } = useTranslation();
  const { user } = useSession();
  const qc = useQueryClient();
  return (
    <Card withBorder radius="md" data-testid="password-card">
      <Stack gap="sm">
        <Title order={4}>{t('password.cardTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('password.cardBody')}
        </Text>
        <PasswordChangeForm email={user.email} onChanged={(info) => applySession(qc, info)} />
      </Stack>
    </Card>
  );
}
