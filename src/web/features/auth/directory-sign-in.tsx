/**
 * Sign-in through the firm's directory (docs/identity.md): a button per OIDC provider (a full-page
 * navigation to the provider), the directory name/password form when LDAP is configured, and why a
 * provider's sign-in was refused when it sent the browser back (`?signInError=<problem code>`).
 */
import { useState, type FormEvent } from 'react';
import { Alert, Button, Divider, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.js';
import { applySession } from '../../app/session.js';
import type { SessionInfo } from '../../app/types.js';
import { ProblemAlert } from '../../ui/problem-alert.js';

interface SignInOptions {
  providers: { id: string; kind: 'oidc' | 'ldap'; label: string }[];
  localSignIn: 'all' | 'break_glass';
}

export function useSignInOptions() {
  return useQuery({
    queryKey: ['auth-options'],
    queryFn: () => api<SignInOptions>('/auth/options', { authAttempt: true }),
    staleTime: 300_000,
  });
}

/** The refusal a provider's callback sent the browser back with, as a translated sentence. */
function RedirectError() {
  const { t, i18n } = useTranslation();
  const code = new URLSearchParams(window.location.search).get('signInError');
  if (!code || !/^auth\.[a-z_]+$/.test(code)) return null;
  const key = `problemCode.${code}`;
  return (
    <Alert color="red" data-testid="directory-error" mb="md">
      {i18n.exists(key) ? String(t(key as never)) : t('directory.failed')}
    </Alert>
  );
}

function LdapForm({ providers }: { providers: SignInOptions['providers'] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [provider, setProvider] = useState(providers[0]!.id);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () =>
      api<SessionInfo>('/auth/ldap', { method: 'POST', body: { provider, username, password }, authAttempt: true }),
    onSuccess: (info) => applySession(qc, info),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  return (
    <form onSubmit={submit} data-testid="ldap-form">
      {providers.length > 1 && (
        <Select
          label={t('directory.which')}
          data={providers.map((p) => ({ value: p.id, label: p.label }))}
          value={provider}
          onChange={(v) => v && setProvider(v)}
          allowDeselect={false}
          mb="sm"
        />
      )}
      <TextInput
        label={t('directory.username', { name: providers.find((p) => p.id === provider)?.label ?? '' })}
        autoComplete="username"
        required
        value={username}
        onChange={(e) => setUsername(e.currentTarget.value)}
        data-testid="ldap-username"
        mb="sm"
      />
      <PasswordInput
        label={t('directory.password')}
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        data-testid="ldap-password"
        mb="md"
      />
      {login.error && <ProblemAlert error={login.error} />}
      <Button type="submit" fullWidth mt="md" loading={login.isPending} data-testid="ldap-submit">
        {t('directory.submit')}
      </Button>
    </form>
  );
}

/** The directory part of the sign-in page; nothing when no directory is configured. */
export function DirectorySignIn() {
  const { t } = useTranslation();
  const options = useSignInOptions();
  const providers = options.data?.providers ?? [];
  const oidc = providers.filter((p) => p.kind === 'oidc');
  const ldap = providers.filter((p) => p.kind === 'ldap');
  if (!providers.length) return <RedirectError />;
  return (
    <Stack gap="sm" mb="md" data-testid="directory-sign-in">
      <RedirectError />
      {oidc.map((p) => (
        <Button
          key={p.id}
          component="a"
          href={`/auth/oidc/${encodeURIComponent(p.id)}/start`}
          variant="light"
          fullWidth
          data-testid={`oidc-${p.id}`}
        >
          {t('directory.continueWith', { name: p.label })}
        </Button>
      ))}
      {ldap.length > 0 && <LdapForm providers={ldap} />}
      <Divider
        label={options.data?.localSignIn === 'break_glass' ? t('directory.breakGlassOnly') : t('directory.orPassword')}
        labelPosition="center"
      />
    </Stack>
  );
}
