/** Create a staff account: email, name, role, initial password, language. */
import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale, UserRole } from '../../../shared/enums.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { useCreateUser } from './users-api.js';

function CreateUserForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const create = useCreateUser();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<string | null>('responder');
  const [password, setPassword] = useState('');
  const [locale, setLocale] = useState<string | null>('zh-CN');
  // The administrator knows this password: by default the user replaces it at the first sign-in.
  const [mustChange, setMustChange] = useState(true);
  const shortPassword = password.length > 0 && password.length < 12;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!role || !locale || shortPassword) return;
    create.mutate(
      {
        email: email.trim(),
        name: name.trim(),
        role: role as UserRole,
        password,
        locale: locale as Locale,
        mustChangePassword: mustChange,
      },
      { onSuccess: onClose },
    );
  };

  return (
    <form onSubmit={submit} data-testid="user-form">
      <Stack gap="sm">
        <TextInput
          label={t('users.email')}
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={fieldError(create.error, 'email')}
          data-testid="user-email"
        />
        <TextInput
          label={t('users.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(create.error, 'name')}
          data-testid="user-name"
        />
        <Select
          label={t('users.role')}
          required
          allowDeselect={false}
          data={options.userRoles}
          value={role}
          onChange={setRole}
          data-testid="user-role"
        />
        <PasswordInput
          label={t('users.password')}
          description={t('users.passwordHint')}
          required
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={shortPassword ? t('users.passwordHint') : fieldError(create.error, 'password')}
          data-testid="user-password"
        />
        <Checkbox
          label={t('signIn.mustChangeOnCreate')}
          checked={mustChange}
          onChange={(e) => setMustChange(e.currentTarget.checked)}
          data-testid="user-must-change"
        />
        <Select
          label={t('users.locale')}
          allowDeselect={false}
          data={[
            { value: 'zh-CN', label: '简体中文' },
            { value: 'en', label: 'English' },
          ]}
          value={locale}
          onChange={setLocale}
        />
        <ProblemAlert error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="user-submit">
            {t('users.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('users.createTitle')}>
      <CreateUserForm onClose={onClose} />
    </Modal>
  );
}
