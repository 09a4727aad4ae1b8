/** Shows sign-in, second factor, forced password change or forced MFA enrolment until the session is complete, then the app. */
import type { ReactNode } from 'react';
import { Button, Center, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { qk } from '../../app/query-keys.js';
import { SessionContext, useSessionQuery } from '../../app/session.js';
import { FullPageLoader } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { AuthLayout } from './auth-layout.js';
import { LoginPage } from './login-page.js';
import { MfaEnrol } from './mfa-enrol.js';
import { MfaStep } from './mfa-step.js';
import { PasswordChangeRequired } from './password-change-required.js';
import { SignOutButton } from './sign-out-button.js';

function EnrolmentRequired() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return (
    <AuthLayout title={t('enrol.requiredTitle')} width={440}>
      <div data-testid="enrol-required">
        <MfaEnrol autoStart onDone={() => void qc.invalidateQueries({ queryKey: qk.session })} />
      </div>
      <SignOutButton />
    </AuthLayout>
  );
}

export function AuthGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSessionQuery();
  if (session.isPending) return <FullPageLoader />;
  if (session.isError) {
    return (
      <Center h="100vh" p="md">
        <Stack>
          <ProblemAlert error={session.error} />
          <Button onClick={() => void session.refetch()}>{t('common.retry')}</Button>
        </Stack>
      </Center>
    );
  }
  const info = session.data;
  if (!info) return <LoginPage />;
  if (info.mfaRequired) return <MfaStep session={info} />;
  if (info.passwordChangeRequired) return <PasswordChangeRequired session={info} />;
  if (info.mfaEnrolmentRequired) return <EnrolmentRequired />;
  return <SessionContext.Provider value={info}>{children}</SessionContext.Provider>;
}
