/**
 * Subscribers of the status site: counts (email confirmed and pending, webhooks) for subscriber.read,
 * and the webhook subscribers, which subscriber.manage adds, edits and removes.
 */
import { useState } from 'react';
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SubscriberLanguage } from '../../../shared/subscription-schemas.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import {
  type SubscriberItem,
  type Subscribers,
  useDeleteSubscriber,
  useSaveWebhook,
  useStatusComponents,
  useSubscribers,
} from './status-site-api.js';
import { pickZhEn } from '../../ui/localized.js';

function WebhookModal({ hook, onClose }: { hook: SubscriberItem | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const save = useSaveWebhook();
  const components = useStatusComponents(true);
  const [name, setName] = useState(hook?.name ?? '');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [language, setLanguage] = useState<SubscriberLanguage>(hook?.language ?? 'zh-CN');
  const [services, setServices] = useState<string[]>(hook?.services ?? []);
  const ready = name.trim() && (hook || (url.trim() && secret.length >= 16));
  const submit = () =>
    save.mutate(
      { id: hook?.id ?? null, body: { name: name.trim(), url: url.trim(), secret, language, services } },
      { onSuccess: onClose },
    );
  return (
    <Modal opened onClose={onClose} title={hook ? t('statusSite.editWebhook') : t('statusSite.addWebhook')}>
      <Stack gap="sm">
        <TextInput
          label={t('statusSite.webhookName')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-testid="webhook-name"
        />
        <TextInput
          label={t('statusSite.webhookUrl')}
          description={hook ? t('statusSite.keepUnlessGiven', { current: hook.masked }) : undefined}
          placeholder="https://"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          error={fieldError(save.error, 'url')}
          data-testid="webhook-url"
        />
        <PasswordInput
          label={t('statusSite.webhookSecret')}
          description={hook ? t('statusSite.secretKeep') : t('statusSite.secretHint')}
          value={secret}
          onChange={(e) => setSecret(e.currentTarget.value)}
          error={fieldError(save.error, 'secret')}
          data-testid="webhook-secret"
        />
        <Select
          label={t('statusSite.language')}
          data={[
            { value: 'zh-CN', label: '中文' },
            { value: 'en', label: 'English' },
          ]}
          value={language}
          onChange={(v) => v && setLanguage(v as SubscriberLanguage)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: false }}
        />
        <MultiSelect
          label={t('statusSite.services')}
          placeholder={services.length === 0 ? t('statusSite.allServices') : undefined}
          data={(components.data ?? []).map((c) => ({ value: c.key, label: pickZhEn(c.name, i18n.language) }))}
          value={services}
          onChange={setServices}
          searchable
          comboboxProps={{ withinPortal: false }}
        />
        <ProblemAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={!ready} loading={save.isPending} onClick={submit} data-testid="webhook-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Counts({ data }: { data: Subscribers }) {
  const { t } = useTranslation();
  const { byState, byKind } = data.counts;
  const webhooks = byKind.webhook ?? 0;
  // Webhooks are confirmed when added; only email addresses wait for their confirmation.
  const figures = [
    { id: 'confirmed', label: t('statusSite.emailConfirmed'), n: (byState.confirmed ?? 0) - webhooks },
    { id: 'pending', label: t('statusSite.emailPending'), n: byState.pending ?? 0 },
    { id: 'webhooks', label: t('statusSite.webhooks'), n: webhooks },
  ];
  return (
    <SimpleGrid cols={3} data-testid="subscriber-counts">
      {figures.map((f) => (
        <Stack gap={0} key={f.id} data-testid={`subscribers-${f.id}`} data-n={f.n}>
          <Text size="xl" fw={700}>
            {f.n}
          </Text>
          <Text size="xs" c="dimmed">
            {f.label}
          </Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}

export function SubscribersCard({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const query = useSubscribers(true);
  const remove = useDeleteSubscriber();
  const [editing, setEditing] = useState<SubscriberItem | 'new' | null>(null);
  return (
    <Card withBorder radius="md" data-testid="status-subscribers">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('statusSite.subscribers')}</Title>
          {canManage && (
            <Button size="xs" variant="light" onClick={() => setEditing('new')} data-testid="webhook-add">
              {t('statusSite.addWebhook')}
            </Button>
          )}
        </Group>
        <QueryView query={query} compact keepOnError>
          {(data) => (
            <Stack gap="sm">
              <Counts data={data} />
              {data.items.length === 0 ? (
                <EmptyState compact>{t('statusSite.noWebhooks')}</EmptyState>
              ) : (
                <Table verticalSpacing={4}>
                  <Table.Tbody>
                    {data.items.map((w) => (
                      <Table.Tr key={w.id} data-testid="webhook" data-id={w.id}>
                        <Table.Td>
                          <Text size="sm" className="tocsin-break">
                            {w.name ?? w.masked}
                          </Text>
                          <Text size="xs" c="dimmed" className="tocsin-break">
                            {w.masked} ·{' '}
                            {w.services.length
                              ? w.services.join(t('common.listSeparator'))
                              : t('statusSite.allServices')}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge size="sm" variant="light">
                            {w.language}
                          </Badge>
                        </Table.Td>
                        {canManage && (
                          <Table.Td>
                            <Group gap={4} justify="flex-end" wrap="nowrap">
                              <Button size="compact-xs" variant="subtle" onClick={() => setEditing(w)}>
                                {t('statusSite.edit')}
                              </Button>
                              <ConfirmButton
                                size="compact-xs"
                                variant="subtle"
                                color="red"
                                question={t('statusSite.deleteWebhookQuestion')}
                                onConfirm={() => remove.mutate(w.id)}
                              >
                                {t('statusSite.delete')}
                              </ConfirmButton>
                            </Group>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          )}
        </QueryView>
        <ProblemAlert error={remove.error} />
      </Stack>
      {editing && <WebhookModal hook={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
