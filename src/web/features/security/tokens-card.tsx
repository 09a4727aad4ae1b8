/** The signed-in user's API tokens: list, create (shown once), revoke. */
import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../app/types.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { TokenCreateForm } from './token-create-form.js';
import { useRevokeToken, useTokens } from './tokens-api.js';

function TokenRow({ token }: { token: ApiToken }) {
  const { t, i18n } = useTranslation();
  const revoke = useRevokeToken();
  const lang = i18n.language;
  const expired = token.expiresAt !== null && Date.parse(token.expiresAt) < Date.now();
  return (
    <Table.Tr data-testid="token-row" data-name={token.name}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {token.name}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {token.prefix}…
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {token.scopes.map((s) => (
            <Badge key={s} size="xs" variant="light">
              {t(`scope.${s}`)}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="xs">{formatDateTime(token.createdAt, lang)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs">{token.lastUsedAt ? formatDateTime(token.lastUsedAt, lang) : t('tokens.never')}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs">{token.expiresAt ? formatDateTime(token.expiresAt, lang) : t('tokens.noExpiry')}</Text>
      </Table.Td>
      <Table.Td>
        {token.revokedAt ? (
          <Badge color="gray">{t('tokens.revoked')}</Badge>
        ) : expired ? (
          <Badge color="gray">{t('tokens.expired')}</Badge>
        ) : (
          <ConfirmButton
            size="compact-xs"
            color="red"
            variant="light"
            question={t('tokens.revokeQuestion', { name: token.name })}
            onConfirm={() => revoke.mutate(token.id)}
            loading={revoke.isPending}
            testId="token-revoke"
          >
            {t('tokens.revoke')}
          </ConfirmButton>
        )}
        {revoke.error !== null && <ProblemAlert error={revoke.error} />}
      </Table.Td>
    </Table.Tr>
  );
}

export function TokensCard() {
  const { t } = useTranslation();
  const tokens = useTokens();
  return (
    <Card withBorder radius="md" data-testid="tokens-card">
      <Stack gap="md">
        <Title order={4}>{t('tokens.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('tokens.body')}
        </Text>
        <TokenCreateForm />
        <QueryView query={tokens} keepOnError compact>
          {(items) =>
            items.length === 0 ? (
              <EmptyState compact>{t('tokens.empty')}</EmptyState>
            ) : (
              <Table.ScrollContainer minWidth={640}>
                <Table verticalSpacing="xs" data-testid="tokens-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('tokens.name')}</Table.Th>
                      <Table.Th>{t('tokens.scopes')}</Table.Th>
                      <Table.Th>{t('tokens.created')}</Table.Th>
                      <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                      <Table.Th>{t('tokens.expires')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((tok) => (
                      <TokenRow key={tok.id} token={tok} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryView>
      </Stack>
    </Card>
  );
}
