/** Security settings of the signed-in user: password, two-factor sign-in and API tokens. */
import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { MfaCard } from './mfa-card.js';
import { PasswordCard } from './password-card.js';
import { TokensCard } from './tokens-card.js';
import { SessionsCard } from './sessions-card.js';
import { ContactsCard } from '../oncall/contacts-card.js';

export function SecurityPage() {
  const { t } = useTranslation();
  usePageTitle(t('security.title'));
  return (
    <Stack gap="md" maw={960}>
      <Title order={2}>{t('security.title')}</Title>
      <PasswordCard />
      <MfaCard />
      <SessionsCard />
      <TokensCard />
      <ContactsCard />
    </Stack>
  );
}
