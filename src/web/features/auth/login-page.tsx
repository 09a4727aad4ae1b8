/** Sign-in with email and password (the first step; MFA follows when the server asks for it). */
import { useState, type FormEvent } from 'react';
import { Button, PasswordInput, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api.js';
import { applySession } from '../../app/session.js';
import type { SessionInfo } from '../../app/types.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { AuthLayout } from './auth-layout.js';
import { DirectorySignIn } from './directory-sign-in.js';

export function LoginPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => api<SessionInfo>('/session', { method: 'POST', body: { email, password }, authAttempt: true }),
    onSuccess: (info) => applySession(qc, info),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  const badCredentials = login.error instanceof ApiError && login.error.status === 401;
  const throttled = login.error instanceof ApiError && login.error.status === 429;

  return (
    <AuthLayout title={t('login.title')}>
      <DirectorySignIn />
      <form onSubmit={submit} data-testid="login-form">
        <TextInput
          label={t('login.email')}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          data-testid="login-email"
          mb="sm"
        />
        <PasswordInput
          label={t('login.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          data-testid="login-password"
          mb="md"
        />
        {login.error && (
          <ProblemAlert
            error={login.error}
            title={badCredentials ? t('login.badCredentials') : throttled ? t('signIn.throttled') : undefined}
          />
        )}
        <Button type="submit" fullWidth mt="md" loading={login.isPending} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
