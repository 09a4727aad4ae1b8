/**
 * The per-customer message list of a campaign page: each customer (masked, as every list shows
 * customers), channel, language, status, attempts, last error and time; filtered by status, 50 at a
 * time (keyset pages, "load more"), refreshed while the campaign sends.
 */
import { useState } from 'react';
import { Badge, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MESSAGE_STATUSES, type MessageStatus } from '../../../shared/campaign-schemas.js';
import { LoadMore } from '../../ui/misc.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { useMessageList } from './campaigns-api.js';

const STATUS_COLORS: Record<MessageStatus, string> = {
  queued: 'gray',
  sent: 'blue',
  delivered: 'green',
  failed: 'red',
  bounced: 'orange',
  opted_out: 'grape',
  skipped: 'yellow',
};

type Channel = 'sms' | 'email' | 'push' | 'none';

export function CampaignMessagesTable({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState('');
  const list = useMessageList(id, status);
  return (
    <Card withBorder radius="md" data-testid="campaign-messages">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-end">
          <Title order={5}>{t('campaignMessages.title')}</Title>
          <Select
            label={t('campaignMessages.filter')}
            value={status}
            onChange={(v) => setStatus(v ?? '')}
            allowDeselect={false}
            w={180}
            data={[
              { value: '', label: t('campaignMessages.all') },
              ...MESSAGE_STATUSES.map((s) => ({ value: s, label: t(`campaignMessages.statuses.${s}`) })),
            ]}
            data-testid="campaign-messages-status"
          />
        </Group>
        <QueryView query={list} keepOnError>
          {(data) => {
            const items = data.pages.flatMap((p) => p.items);
            if (items.length === 0) return <Text c="dimmed">{t('campaignMessages.empty')}</Text>;
            return (
              <>
                <Table.ScrollContainer minWidth={820}>
                  <Table striped withTableBorder>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('campaignMessages.customer')}</Table.Th>
                        <Table.Th>{t('campaignMessages.contact')}</Table.Th>
                        <Table.Th>{t('campaignMessages.channel')}</Table.Th>
                        <Table.Th>{t('campaignMessages.language')}</Table.Th>
                        <Table.Th>{t('campaignMessages.status')}</Table.Th>
                        <Table.Th>{t('campaignMessages.attempts')}</Table.Th>
                        <Table.Th>{t('campaignMessages.lastError')}</Table.Th>
                        <Table.Th>{t('campaignMessages.time')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {items.map((m) => (
                        <Table.Tr key={m.id} data-testid="campaign-message" data-status={m.status}>
                          <Table.Td>
                            {m.customer ? (
                              `${m.customer.customerNo} · ${m.customer.name}`
                            ) : (
                              <Text c="dimmed" size="sm">
                                {t('campaignMessages.unknownCustomer')}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td>
                            {(m.channel === 'email' ? m.customer?.emailMasked : m.customer?.phoneMasked) ?? '—'}
                          </Table.Td>
                          <Table.Td>{t(`campaigns.channel.${m.channel as Channel}`)}</Table.Td>
                          <Table.Td>{t(`campaignMessages.languages.${m.language as 'zh-CN' | 'en'}`)}</Table.Td>
                          <Table.Td>
                            <Badge color={STATUS_COLORS[m.status]} variant="light">
                              {t(`campaignMessages.statuses.${m.status}`)}
                            </Badge>
                          </Table.Td>
                          <Table.Td>{m.attempts}</Table.Td>
                          <Table.Td>
                            <Text size="sm" ff="monospace">
                              {m.lastError ?? '—'}
                            </Text>
                          </Table.Td>
                          <Table.Td>{formatDateTime(m.updatedAt, i18n.language)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                <LoadMore
                  hasMore={list.hasNextPage}
                  loading={list.isFetchingNextPage}
                  onClick={() => void list.fetchNextPage()}
                />
              </>
            );
          }}
        </QueryView>
      </Stack>
    </Card>
  );
}
