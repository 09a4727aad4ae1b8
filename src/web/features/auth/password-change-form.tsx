/** Change your own password: the current one, the new one twice. Used on the security page and the forced-change screen. */
import { useState, type FormEvent } from 'react';
import { Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.js';
import type { SessionInfo } from '../../app/types.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';

const MIN_LENGTH = 12;

/** The server's reason for a field, in the reader's language when it is one we know. */
function useReason() {
  const { t } = useTranslation();
  return (message: string | undefined): string | undefined => {
    if (!message) return undefined;
    if (/wrong password/.test(message)) return t('password.wrongCurrent');
    if (/too easy to guess/.test(message)) return t('password.weak');
    if (/email address|your name/.test(message)) return t('password.notEmail');
    if (/differ from the current/.test(message)) return t('password.notSame');
    if (/at least 12/.test(message)) return t('password.tooShort');
    return message;
  };
}

export function PasswordChangeForm({
  email,
  onChanged,
  currentLabel,
}: {
  email: string;
  onChanged: (info: SessionInfo) => void;
  currentLabel?: string;
}) {
  const { t } = useTranslation();
  const reason = useReason();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const change = useMutation({
    mutationFn: () =>
      api<SessionInfo>('/me/password', { method: 'POST', body: { currentPassword: current, newPassword: next } }),
    onSuccess: (info) => {
      setCurrent('');
      setNext('');
      setAgain('');
      onChanged(info);
    },
  });
  const tooShort = next.length > 0 && [...next].length < MIN_LENGTH;
  const isEmail = next.length > 0 && next.trim().toLowerCase() === email.toLowerCase();
  const mismatch = again.length > 0 && again !== next;
  const newError = tooShort
    ? t('password.tooShort')
    : isEmail
      ? t('password.notEmail')
      : reason(fieldError(change.error, 'newPassword'));
  const currentError = reason(fieldError(change.error, 'currentPassword'));
  const fieldErrors = Boolean(fieldError(change.error, 'newPassword', 'currentPassword'));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (tooShort || isEmail || mismatch || !next || !current) return;
    change.mutate();
  };

  return (
    <form onSubmit={submit} data-testid="password-form">
      <Stack gap="sm">
        <PasswordInput
          label={currentLabel ?? t('password.current')}
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={currentError}
          data-testid="password-current"
        />
        <PasswordInput
          label={t('password.new')}
          description={t('password.hint')}
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={newError}
          data-testid="password-new"
        />
        <PasswordInput
          label={t('password.confirm')}
          autoComplete="new-password"
          required
          value={again}
          onChange={(e) => setAgain(e.currentTarget.value)}
          error={mismatch ? t('password.mismatch') : undefined}
          data-testid="password-confirm"
        />
        {change.error && !fieldErrors && <ProblemAlert error={change.error} />}
        {change.isSuccess && (
          <Text size="sm" c="teal" data-testid="password-changed">
            {t('password.changed')}
          </Text>
        )}
        <Button
          type="submit"
          loading={change.isPending}
          disabled={!current || !next || !again || tooShort || isEmail || mismatch}
          style={{ alignSelf: 'flex-start' }}
          data-testid="password-submit"
        >
          {t('password.submit')}
        </Button>
      </Stack>
    </form>
  );
}
