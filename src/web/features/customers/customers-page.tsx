/** Customers at /customers: the masked list, filtered by branch and tier, searched by number, name or exact contact. */
import { useState } from 'react';
import { Anchor, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { LoadMore, NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { type CustomerFilters, useCustomers } from './customers-api.js';

export function CustomersPage() {
  const { t } = useTranslation();
  const allowed = useCan('customer.read');
  const canManage = useCan('customer.manage');
  const [draft, setDraft] = useState<CustomerFilters>({});
  const [filters, setFilters] = useState<CustomerFilters>({});
  const list = useCustomers(filters);
  usePageTitle(t('customers.title'));
  if (!allowed) return <NotPermitted />;
  const field = (k: keyof CustomerFilters) => ({
    value: draft[k] ?? '',
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [k]: e.currentTarget.value }),
  });
  return (
    <Stack gap="md" data-testid="customers-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4} maw={820}>
          <Title order={2}>{t('customers.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('customers.intro')}
          </Text>
        </Stack>
        {canManage && (
          <Button component={Link} to="/customers/import" data-testid="customers-import">
            {t('customers.import')}
          </Button>
        )}
      </Group>
      <Card withBorder radius="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setFilters({
              q: draft.q?.trim() || undefined,
              branch: draft.branch?.trim() || undefined,
              tier: draft.tier?.trim() || undefined,
            });
          }}
        >
          <Group align="flex-end">
            <TextInput
              label={t('customers.search')}
              placeholder={t('customers.searchHint')}
              w={320}
              {...field('q')}
              data-testid="customers-q"
            />
            <TextInput label={t('customers.branch')} w={160} {...field('branch')} data-testid="customers-branch" />
            <TextInput label={t('customers.tier')} w={120} {...field('tier')} data-testid="customers-tier" />
            <Button type="submit" variant="light" data-testid="customers-search">
              {t('customers.apply')}
            </Button>
          </Group>
        </form>
      </Card>
      <QueryView query={list} keepOnError>
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (items.length === 0) return <EmptyState testId="customers-empty">{t('customers.empty')}</EmptyState>;
          return (
            <Card withBorder radius="md" p={0}>
              <Table striped highlightOnHover data-testid="customers-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('customers.customerNo')}</Table.Th>
                    <Table.Th>{t('customers.name')}</Table.Th>
                    <Table.Th>{t('customers.phone')}</Table.Th>
                    <Table.Th>{t('customers.email')}</Table.Th>
                    <Table.Th>{t('customers.branch')}</Table.Th>
                    <Table.Th>{t('customers.tier')}</Table.Th>
                    <Table.Th>{t('customers.language')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => (
                    <Table.Tr key={c.id} data-testid="customer-row">
                      <Table.Td>
                        <Anchor component={Link} to={`/customers/${encodeURIComponent(c.customerNo)}`}>
                          {c.customerNo}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{c.name}</Table.Td>
                      <Table.Td data-testid="customer-phone">{c.phone ?? '—'}</Table.Td>
                      <Table.Td>{c.email ?? '—'}</Table.Td>
                      <Table.Td>{c.branch ?? '—'}</Table.Td>
                      <Table.Td>{c.tier ?? '—'}</Table.Td>
                      <Table.Td>{t(`customers.languages.${c.language}`)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <LoadMore
                hasMore={list.hasNextPage}
                loading={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              />
            </Card>
          );
        }}
      </QueryView>
    </Stack>
  );
}
