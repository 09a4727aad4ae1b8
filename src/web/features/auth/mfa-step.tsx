/** The second sign-in step: a six-digit TOTP code. */
import { useState, type FormEvent } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api.js';
import { applySession } from '../../app/session.js';
import type { SessionInfo } from '../../app/types.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { TotpCodeInput } from './totp-code-input.js';
import { AuthLayout } from './auth-layout.js';
import { SignOutButton } from './sign-out-button.js';

export function MfaStep({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const verify = useMutation({
    mutationFn: () => api<SessionInfo>('/session/mfa', { method: 'POST', body: { code }, authAttempt: true }),
    onSuccess: (info) => applySession(qc, info),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    verify.mutate();
  };
  const wrong = verify.error instanceof ApiError && (verify.error.status === 401 || verify.error.status === 400);

  return (
    <AuthLayout title={t('mfa.title')}>
      <Text size="sm">{t('mfa.prompt', { email: session.user.email })}</Text>
      <form onSubmit={submit}>
        <TotpCodeInput label={t('mfa.code')} value={code} onChange={setCode} testId="mfa-code" />
        {verify.error && <ProblemAlert error={verify.error} title={wrong ? t('mfa.wrongCode') : undefined} />}
        <Group justify="space-between" mt="md">
          <SignOutButton />
          <Button type="submit" loading={verify.isPending} disabled={code.length !== 6} data-testid="mfa-submit">
            {t('mfa.verify')}
          </Button>
        </Group>
      </form>
    </AuthLayout>
  );
}
