/** Per-user administration of signing in: reset the password (a one-time password shown once) and see or clear the sign-in lock. */
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  PasswordInput,
  Radio,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { User } from '../../app/types.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { formatDateTime } from '../../ui/time.js';
import { useResetPassword, useSignInState, useUnlock } from './users-api.js';

function ResetPasswordForm({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const reset = useResetPassword();
  const [mode, setMode] = useState<'generate' | 'given'>('generate');
  const [password, setPassword] = useState('');
  const short = mode === 'given' && [...password].length < 12;

  if (reset.data) {
    return (
      <Stack gap="sm" data-testid="reset-done">
        {reset.data.password ? (
          <Alert color="yellow" title={t('signIn.resetDone', { email: user.email })}>
            <Stack gap="xs">
              {t('signIn.resetDoneBody')}
              <Group gap="xs" wrap="nowrap">
                <Code className="tocsin-break" style={{ flex: 1 }} data-testid="reset-password-value">
                  {reset.data.password}
                </Code>
                <CopyButton value={reset.data.password}>
                  {({ copied, copy }) => (
                    <Button size="xs" color={copied ? 'teal' : 'blue'} onClick={copy}>
                      {copied ? t('common.copied') : t('common.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </Stack>
          </Alert>
        ) : (
          <Alert color="teal">{t('signIn.resetDoneGiven', { email: user.email })}</Alert>
        )}
        <Group justify="flex-end">
          <Button onClick={onClose} data-testid="reset-close">
            {t('common.confirm')}
          </Button>
        </Group>
      </Stack>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (short) return;
    reset.mutate({ id: user.id, password: mode === 'given' ? password : undefined });
  };
  return (
    <form onSubmit={submit} data-testid="reset-form">
      <Stack gap="sm">
        <Text size="sm">{t('signIn.resetBody')}</Text>
        <Radio.Group value={mode} onChange={(v) => setMode(v as 'generate' | 'given')}>
          <Stack gap="xs">
            <Radio value="generate" label={t('signIn.resetGenerate')} data-testid="reset-generate" />
            <Radio value="given" label={t('signIn.resetGiven')} data-testid="reset-given" />
          </Stack>
        </Radio.Group>
        {mode === 'given' && (
          <PasswordInput
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={password && short ? t('password.tooShort') : fieldError(reset.error, 'password')}
            aria-label={t('signIn.resetGiven')}
            data-testid="reset-password-input"
          />
        )}
        <ProblemAlert error={reset.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="orange" loading={reset.isPending} disabled={short} data-testid="reset-submit">
            {t('signIn.resetSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={user !== null} onClose={onClose} title={user ? t('signIn.resetTitle', { name: user.name }) : ''}>
      {user && <ResetPasswordForm key={user.id} user={user} onClose={onClose} />}
    </Modal>
  );
}

function SignInLock({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const state = useSignInState(user.id, true);
  const unlock = useUnlock();
  const lang = i18n.language;
  const when = (iso: string | null) => (iso ? formatDateTime(iso, lang) : '—');
  const s = state.data;
  return (
    <Stack gap="sm" data-testid="sign-in-lock">
      <ProblemAlert error={state.error ?? unlock.error} />
      {s && (
        <>
          <Group gap="xs">
            <Badge color={s.blocked ? 'red' : 'teal'} data-testid="sign-in-lock-state">
              {s.blocked ? t('signIn.blocked') : t('signIn.notBlocked')}
            </Badge>
            <Text size="xs" c="dimmed">
              {t('signIn.accountBudget', { failures: s.account.failures, limit: s.account.limit })}
            </Text>
          </Group>
          {s.addresses.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('signIn.lockNone')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing={4} fz="xs" data-testid="sign-in-lock-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('signIn.address')}</Table.Th>
                    <Table.Th>{t('signIn.failures')}</Table.Th>
                    <Table.Th>{t('signIn.nextAttempt')}</Table.Th>
                    <Table.Th>{t('signIn.lastFailure')}</Table.Th>
                    <Table.Th>{t('signIn.lastSuccess')}</Table.Th>
                    <Table.Th>{t('signIn.addressBudget')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.addresses.map((a) => (
                    <Table.Tr key={a.address} data-testid="sign-in-lock-row">
                      <Table.Td ff="monospace">
                        {a.address}
                        {a.known && (
                          <Badge ml={4} size="xs" variant="light" color="teal">
                            {t('signIn.known')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>{a.failures}</Table.Td>
                      <Table.Td>{a.nextAttemptAt ? when(a.nextAttemptAt) : t('signIn.now')}</Table.Td>
                      <Table.Td>{when(a.lastFailureAt)}</Table.Td>
                      <Table.Td>{when(a.lastSuccessAt)}</Table.Td>
                      <Table.Td c={a.budget.spent && !a.known ? 'red' : undefined}>
                        {a.budget.failures} / {a.budget.limit}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {unlock.isSuccess && (
            <Text size="sm" c="teal" data-testid="sign-in-unlocked">
              {t('signIn.unlocked')}
            </Text>
          )}
          <Button
            color="orange"
            onClick={() => unlock.mutate(user.id)}
            loading={unlock.isPending}
            style={{ alignSelf: 'flex-start' }}
            data-testid="sign-in-unlock"
          >
            {t('signIn.unlock')}
          </Button>
        </>
      )}
    </Stack>
  );
}

export function SignInLockModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      size="xl"
      title={user ? t('signIn.lockTitle', { name: user.name }) : ''}
    >
      {user && <SignInLock key={user.id} user={user} />}
    </Modal>
  );
}
