/** "Who can sign in how" (docs/identity.md): each account's sign-in method, break-glass flag, TOTP and last sign-in. */
import { Badge, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';

interface SignInMethodRow {
  user: { id: string; email: string; name: string; role: string; disabled: boolean };
  method: 'local' | 'oidc' | 'ldap';
  provider: string | null;
  providerLabel: string | null;
  breakGlass: boolean;
  mfaEnabled: boolean;
  lastSignInAt: string | null;
  /** The provider whose SCIM client provisioned the account, or null. */
  scimProvider: string | null;
}

export function SignInMethods() {
  const { t, i18n } = useTranslation();
  const query = useQuery({
    queryKey: ['sign-in-methods'],
    queryFn: () => api<{ items: SignInMethodRow[] }>('/auth/sign-in-methods'),
  });
  return (
    <>
      <Title order={3} mt="lg">
        {t('signInMethods.title')}
      </Title>
      <QueryView query={query} keepOnError>
        {(data) => (
          <Table.ScrollContainer minWidth={760}>
            <Table striped verticalSpacing="xs" data-testid="sign-in-methods">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.name')}</Table.Th>
                  <Table.Th>{t('signInMethods.method')}</Table.Th>
                  <Table.Th>{t('users.mfa')}</Table.Th>
                  <Table.Th>{t('signInMethods.lastSignIn')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((r) => (
                  <Table.Tr key={r.user.id} data-testid="sign-in-method-row" data-email={r.user.email}>
                    <Table.Td>
                      {r.user.name} <span style={{ opacity: 0.6 }}>{r.user.email}</span>
                    </Table.Td>
                    <Table.Td>
                      {r.method === 'local'
                        ? t('signInMethods.local')
                        : `${t(`signInMethods.${r.method}`)} · ${r.providerLabel ?? r.provider}`}
                      {r.scimProvider && (
                        <Badge color="blue" ml="xs" title={t('scim.provisionedHint')} data-testid="scim-provisioned">
                          {t('scim.provisioned')}
                        </Badge>
                      )}
                      {r.breakGlass && (
                        <Badge color="red" ml="xs" data-testid="break-glass">
                          {t('signInMethods.breakGlass')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{r.mfaEnabled ? t('signInMethods.on') : t('signInMethods.off')}</Table.Td>
                    <Table.Td>{r.lastSignInAt ? formatDateTime(r.lastSignInAt, i18n.language) : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
    </>
  );
}
