/** After a one-time password (generated or reset): nothing but choosing a new password, or signing out. */
import { Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { applySession } from '../../app/session.js';
import type { SessionInfo } from '../../app/types.js';
import { AuthLayout } from './auth-layout.js';
import { PasswordChangeForm } from './password-change-form.js';
import { SignOutButton } from './sign-out-button.js';

export function PasswordChangeRequired({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return (
    <AuthLayout title={t('password.requiredTitle')} width={440}>
      <div data-testid="password-required">
        <Text size="sm" mb="sm">
          {t('password.requiredBody', { email: session.user.email })}
        </Text>
        <PasswordChangeForm email={session.user.email} onChanged={(info) => applySession(qc, info)} />
      </div>
      <SignOutButton />
    </AuthLayout>
  );
}
