/** The effective configuration, read-only (admins and auditors): every TOCSIN_* setting, its value and source; secrets only as set / not set. */
import { useState } from 'react';
import { Badge, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Setting } from '../../../shared/settings-schemas.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { QueryView } from '../../ui/query-view.js';
import { useSettings } from './settings-api.js';
import { FirmProfileCard } from '../obligations/firm-profile-card.js';
import { SessionPolicyCard } from './session-policy-card.js';

function Value({ s }: { s: Setting }) {
  const { t } = useTranslation();
  if (s.secret) {
    return (
      <Group gap={6}>
        <Badge size="sm" variant="light" color={s.set ? 'teal' : 'gray'} data-testid="setting-secret">
          {s.set ? t('settings.set') : t('settings.notSet')}
        </Badge>
        <Text size="xs" c="dimmed">
          {t('settings.hidden')}
        </Text>
      </Group>
    );
  }
  if (s.value === null) {
    return (
      <Text size="sm" c="dimmed">
        {t('settings.notSet')}
      </Text>
    );
  }
  return (
    <Text size="sm" ff="monospace" className="tocsin-break">
      {s.value}
    </Text>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const allowed = useCan('settings.read');
  const canManageFirm = useCan('firm.manage');
  const canSessionPolicy = useCan('session_policy.read');
  const settings = useSettings(allowed);
  const [filter, setFilter] = useState('');
  usePageTitle(t('settings.title'));
  // Compliance edits the firm's regulatory profile here without reading the configuration.
  if (!allowed && !canManageFirm) return <NotPermitted />;
  if (!allowed)
    return (
      <Stack gap="md" data-testid="settings-page">
        <FirmProfileCard />
      </Stack>
    );
  const words = filter.trim().toUpperCase();
  const shown = (s: Setting) => !words || s.name.includes(words) || (s.value ?? '').toUpperCase().includes(words);
  return (
    <Stack gap="md" data-testid="settings-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2}>{t('settings.title')}</Title>
          <Text size="sm" c="dimmed" maw={820}>
            {t('settings.intro')}
          </Text>
        </Stack>
        {settings.data && (
          <Text size="sm" c="dimmed" data-testid="settings-version">
            {t('settings.version', { version: settings.data.version })}
          </Text>
        )}
      </Group>
      <FirmProfileCard />
      {canSessionPolicy && <SessionPolicyCard />}
      <TextInput
        placeholder={t('settings.filter')}
        aria-label={t('settings.filter')}
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value)}
        maw={360}
        data-testid="settings-filter"
      />
      <QueryView query={settings} keepOnError>
        {(data) => (
          <Table.ScrollContainer minWidth={680}>
            <Table striped verticalSpacing="xs" data-testid="settings-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="34%">{t('settings.name')}</Table.Th>
                  <Table.Th>{t('settings.value')}</Table.Th>
                  <Table.Th w={130}>{t('settings.source')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.filter(shown).map((s) => (
                  <Table.Tr key={s.name} data-testid="setting-row" data-name={s.name} data-source={s.source}>
                    <Table.Td>
                      <Text size="sm" ff="monospace" fw={500}>
                        {s.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Value s={s} />
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        size="sm"
                        variant={s.source === 'env' ? 'filled' : 'light'}
                        color={s.source === 'env' ? 'blue' : 'gray'}
                      >
                        {t(`settings.from.${s.source}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
    </Stack>
  );
}
