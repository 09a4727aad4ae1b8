/** An administrator signs a person out everywhere from the Users page (every session ends; tokens stay). */
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { User } from '../../app/types.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useSignOutUser } from '../settings/session-policy-api.js';

export function SignOutUserButton({ user }: { user: User }) {
  const { t } = useTranslation();
  const signOut = useSignOutUser();
  return (
    <>
      <ConfirmButton
        size="compact-xs"
        variant="light"
        color="grape"
        loading={signOut.isPending}
        question={t('sessionPolicy.signOutUserConfirm', { name: user.name })}
        onConfirm={() => signOut.mutate(user.id)}
        testId="user-row-sign-out"
      >
        {t('sessionPolicy.signOutUser')}
      </ConfirmButton>
      {signOut.data && (
        <Text size="xs" c="dimmed" data-testid="user-row-signed-out">
          {t('sessionPolicy.signedOutUser', { count: signOut.data.ended })}
        </Text>
      )}
      {signOut.error !== null && <ProblemAlert error={signOut.error} />}
    </>
  );
}
