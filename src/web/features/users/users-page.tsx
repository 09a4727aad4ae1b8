/** Staff accounts (admin): list, create, change role, disable / enable, reset a password, see and clear a sign-in lock. */
import { useState } from 'react';
import { Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { UserRole } from '../../../shared/enums.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan, useSession } from '../../app/session.js';
import type { User } from '../../app/types.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { LoadMore, NotPermitted } from '../../ui/misc.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { SignInMethods } from './sign-in-methods.js';
import { SecurityNotices } from '../access-review/security-notices.js';
import { formatDateTime } from '../../ui/time.js';
import { CreateUserModal } from './create-user-modal.js';
import { ResetPasswordModal, SignInLockModal } from './user-sign-in-modals.js';
import { useUpdateUser, useUserPages } from './users-api.js';
import { SignOutUserButton } from './sign-out-user-button.js';

function UserRow({
  user,
  isSelf,
  onReset,
  onLock,
}: {
  user: User;
  isSelf: boolean;
  onReset: () => void;
  onLock: () => void;
}) {
  const { t, i18n } = useTranslation();
  const options = useEnumOptions();
  const update = useUpdateUser();
  return (
    <Table.Tr data-testid="user-row" data-email={user.email}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {user.name}
        </Text>
        <Text size="xs" c="dimmed">
          {user.email}
        </Text>
        {update.error !== null && <ProblemAlert error={update.error} />}
      </Table.Td>
      <Table.Td>
        <Select
          size="xs"
          w={150}
          allowDeselect={false}
          data={options.userRoles}
          value={user.role}
          disabled={isSelf || update.isPending}
          onChange={(v) => v && v !== user.role && update.mutate({ id: user.id, role: v as UserRole })}
          aria-label={t('users.role')}
          data-testid="user-row-role"
        />
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Badge color={user.mfaEnabled ? 'teal' : 'gray'} variant="light">
            {user.mfaEnabled ? t('users.mfaOn') : t('users.mfaOff')}
          </Badge>
          {user.mfaEnabled && !isSelf && (
            <ConfirmButton
              size="compact-xs"
              variant="subtle"
              color="orange"
              loading={update.isPending}
              question={t('users.resetMfaConfirm')}
              onConfirm={() => update.mutate({ id: user.id, resetMfa: true })}
              testId="user-row-reset-mfa"
            >
              {t('users.resetMfa')}
            </ConfirmButton>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Badge color={user.disabled ? 'red' : 'teal'} variant="light" data-testid="user-row-state">
            {user.disabled ? t('users.disabled') : t('users.active')}
          </Badge>
          {user.passwordChangeRequired && (
            <Badge color="orange" variant="light" data-testid="user-row-must-change">
              {t('signIn.mustChange')}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="xs">{formatDateTime(user.createdAt, i18n.language)}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Button size="compact-xs" variant="default" onClick={onLock} data-testid="user-row-lock">
            {t('signIn.lockButton')}
          </Button>
          {!isSelf && <SignOutUserButton user={user} />}
          {!isSelf && (
            <Button
              size="compact-xs"
              variant="light"
              color="orange"
              onClick={onReset}
              data-testid="user-row-reset-password"
            >
              {t('signIn.resetPassword')}
            </Button>
          )}
          <Button
            size="compact-xs"
            variant="light"
            color={user.disabled ? 'teal' : 'red'}
            disabled={isSelf}
            loading={update.isPending}
            onClick={() => update.mutate({ id: user.id, disabled: !user.disabled })}
            data-testid="user-row-toggle"
          >
            {user.disabled ? t('users.enable') : t('users.disable')}
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const allowed = useCan('user.manage');
  const { user: me } = useSession();
  const [creating, create] = useDisclosure(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [locked, setLocked] = useState<User | null>(null);
  const users = useUserPages(allowed);
  usePageTitle(t('users.title'));
  if (!allowed) return <NotPermitted />;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('users.title')}</Title>
        <Group gap="xs">
          <Button component={Link} to="/access-review" variant="default" data-testid="users-access-review">
            {t('accessReview.nav')}
          </Button>
          <Button onClick={create.open} data-testid="user-create-open">
            {t('users.create')}
          </Button>
        </Group>
      </Group>
      <SecurityNotices />
      <QueryView query={users} keepOnError>
        {(data) => (
          <Table.ScrollContainer minWidth={980}>
            <Table striped highlightOnHover verticalSpacing="xs" data-testid="users-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.name')}</Table.Th>
                  <Table.Th>{t('users.role')}</Table.Th>
                  <Table.Th>{t('users.mfa')}</Table.Th>
                  <Table.Th>{t('users.state')}</Table.Th>
                  <Table.Th>{t('users.created')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.pages
                  .flatMap((p) => p.items)
                  .map((u) => (
                    <UserRow
                      key={u.id}
                      user={u}
                      isSelf={u.id === me.id}
                      onReset={() => setResetting(u)}
                      onLock={() => setLocked(u)}
                    />
                  ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
      <LoadMore
        hasMore={users.hasNextPage}
        loading={users.isFetchingNextPage}
        onClick={() => void users.fetchNextPage()}
      />
      <SignInMethods />
      <CreateUserModal opened={creating} onClose={create.close} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <SignInLockModal user={locked} onClose={() => setLocked(null)} />
    </Stack>
  );
}
