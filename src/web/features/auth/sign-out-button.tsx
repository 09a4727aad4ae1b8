/** "Use another account" on the sign-in steps that come after the password. */
import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../../app/session.js';

export function SignOutButton() {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <Button
      variant="subtle"
      color="gray"
      onClick={() => logout.mutate()}
      loading={logout.isPending}
      data-testid="logout"
    >
      {t('mfa.otherAccount')}
    </Button>
  );
}
