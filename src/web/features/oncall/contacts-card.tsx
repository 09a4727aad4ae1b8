/** The signed-in person's contact routes for pages: channel connector names and addresses, tried in order. */
import { useEffect, useState } from 'react';
import { Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ContactRoute } from '../../../shared/page-schemas.js';
import { useSession } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useContacts, useSaveContacts } from './oncall-api.js';

export function ContactsCard() {
  const { t } = useTranslation();
  const me = useSession().user.id;
  const contacts = useContacts(me);
  const save = useSaveContacts(me);
  const [routes, setRoutes] = useState<ContactRoute[]>([]);
  useEffect(() => {
    if (contacts.data) setRoutes(contacts.data.routes);
  }, [contacts.data]);
  const set = (i: number, patch: Partial<ContactRoute>) =>
    setRoutes((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Card withBorder data-testid="contacts-card">
      <Stack gap="xs">
        <Title order={3}>{t('contacts.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('contacts.intro')}
        </Text>
        {routes.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the order is the routes' order
          <Group key={i} gap="xs" align="flex-end">
            <TextInput
              label={t('contacts.channel')}
              value={r.channel}
              onChange={(e) => set(i, { channel: e.currentTarget.value })}
              w={180}
            />
            <TextInput
              label={t('contacts.address')}
              value={r.address}
              onChange={(e) => set(i, { address: e.currentTarget.value })}
              w={260}
            />
            <Button variant="subtle" color="red" onClick={() => setRoutes((rs) => rs.filter((_, j) => j !== i))}>
              {t('contacts.remove')}
            </Button>
          </Group>
        ))}
        <Group gap="xs">
          <Button
            variant="light"
            onClick={() => setRoutes((rs) => [...rs, { channel: '', address: '' }])}
            disabled={routes.length >= 10}
          >
            {t('contacts.add')}
          </Button>
          <Button onClick={() => save.mutate({ routes })} loading={save.isPending} data-testid="contacts-save">
            {t('contacts.save')}
          </Button>
          {save.isSuccess && (
            <Text size="sm" c="teal">
              {t('contacts.saved')}
            </Text>
          )}
        </Group>
        {save.error && <ProblemAlert error={save.error} />}
      </Stack>
    </Card>
  );
}
