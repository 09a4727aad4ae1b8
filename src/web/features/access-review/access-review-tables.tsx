/** The access review's two tables: accounts (role, sign-in method, MFA, last sign-in, state, sessions) and API tokens. */
import { Badge, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AccessReviewAccount, AccessReviewToken } from '../../../shared/access-review-schemas.js';
import { EmptyState } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';

/** `password`, `break-glass`, `oidc:<provider>`, `ldap:<provider>` in words. */
function MethodText({ method }: { method: string }) {
  const { t } = useTranslation();
  if (method === 'password') return <>{t('accessReview.method.password')}</>;
  if (method === 'break-glass')
    return (
      <Badge color="red" variant="light">
        {t('accessReview.method.breakGlass')}
      </Badge>
    );
  const [kind, provider] = method.split(':');
  return <>{`${kind === 'oidc' ? 'OIDC' : 'LDAP'} · ${provider ?? ''}`}</>;
}

export function AccountsTable({ accounts }: { accounts: AccessReviewAccount[] }) {
  const { t, i18n } = useTranslation();
  if (accounts.length === 0)
    return <EmptyState testId="access-review-accounts-empty">{t('accessReview.noAccounts')}</EmptyState>;
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table striped verticalSpacing="xs" data-testid="access-review-accounts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('accessReview.col.person')}</Table.Th>
            <Table.Th>{t('accessReview.col.role')}</Table.Th>
            <Table.Th>{t('accessReview.col.method')}</Table.Th>
            <Table.Th>{t('accessReview.col.mfa')}</Table.Th>
            <Table.Th>{t('accessReview.col.lastSignIn')}</Table.Th>
            <Table.Th>{t('accessReview.col.state')}</Table.Th>
            <Table.Th>{t('accessReview.col.sessions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accounts.map((a) => (
            <Table.Tr key={a.id} data-testid="access-review-account" data-email={a.email}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {a.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {a.email}
                </Text>
              </Table.Td>
              <Table.Td>{t(`role.${a.role}`)}</Table.Td>
              <Table.Td>
                <MethodText method={a.signInMethod} />
              </Table.Td>
              <Table.Td>
                <Badge color={a.mfaEnabled ? 'teal' : 'gray'} variant="light">
                  {a.mfaEnabled ? t('accessReview.mfaOn') : t('accessReview.mfaOff')}
                </Badge>
              </Table.Td>
              <Table.Td>
                {a.lastSignInAt ? formatDateTime(a.lastSignInAt, i18n.language) : t('accessReview.never')}
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {a.disabled && (
                    <Badge color="red" variant="light">
                      {t('accessReview.disabled')}
                    </Badge>
                  )}
                  {a.dormant && (
                    <Badge color="orange" variant="light" data-testid="access-review-dormant">
                      {t('accessReview.dormant')}
                    </Badge>
                  )}
                  {!a.disabled && !a.dormant && (
                    <Badge color="teal" variant="light">
                      {t('accessReview.active')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>{a.activeSessions}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const STATUS_COLOR = { active: 'teal', expired: 'gray', revoked: 'red' } as const;

export function TokensTable({ tokens }: { tokens: AccessReviewToken[] }) {
  const { t, i18n } = useTranslation();
  if (tokens.length === 0)
    return <EmptyState testId="access-review-tokens-empty">{t('accessReview.noTokens')}</EmptyState>;
  const when = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language) : '—');
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table striped verticalSpacing="xs" data-testid="access-review-tokens">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('accessReview.col.owner')}</Table.Th>
            <Table.Th>{t('accessReview.col.label')}</Table.Th>
            <Table.Th>{t('accessReview.col.scopes')}</Table.Th>
            <Table.Th>{t('accessReview.col.created')}</Table.Th>
            <Table.Th>{t('accessReview.col.lastUsed')}</Table.Th>
            <Table.Th>{t('accessReview.col.expires')}</Table.Th>
            <Table.Th>{t('accessReview.col.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((x) => (
            <Table.Tr key={x.id} data-testid="access-review-token">
              <Table.Td>
                <Text size="sm">{x.ownerName}</Text>
                <Text size="xs" c="dimmed">
                  {x.ownerEmail}
                </Text>
              </Table.Td>
              <Table.Td>{x.label}</Table.Td>
              <Table.Td>{x.scopes.join(' ')}</Table.Td>
              <Table.Td>{when(x.createdAt)}</Table.Td>
              <Table.Td>{x.lastUsedAt ? when(x.lastUsedAt) : t('accessReview.never')}</Table.Td>
              <Table.Td>{x.expiresAt ? when(x.expiresAt) : t('accessReview.noExpiry')}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[x.status]} variant="light">
                  {t(`accessReview.status.${x.status}`)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
