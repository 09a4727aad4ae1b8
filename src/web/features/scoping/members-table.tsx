/** Members of an affected-customer set with their reasons (customer data masked), and the reasons as sentences. */
import { Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/time.js';
import type { AffectedMember, MemberReason } from './scoping-api.js';

export function useReasonText() {
  const { t, i18n } = useTranslation();
  return (r: MemberReason): string => {
    switch (r.kind) {
      case 'activity':
        return t('scoping.reason.activity', {
          action: t(`scoping.action.${r.action}`, { defaultValue: r.action }),
          ip: r.ip ?? '-',
          at: formatDateTime(r.at, i18n.language),
          outcome: r.outcome ? t(`scoping.outcome.${r.outcome}`, { defaultValue: r.outcome }) : '-',
          count: r.count,
        });
      case 'alert':
        return t('scoping.reason.alert', { title: r.title });
      case 'list':
        return t('scoping.reason.list');
      case 'segment':
        return t('scoping.reason.segment', { branch: r.branch ?? '-', tier: r.tier ?? '-' });
    }
  };
}

export function MembersTable({ items, testId }: { items: AffectedMember[]; testId: string }) {
  const { t } = useTranslation();
  const reason = useReasonText();
  if (!items.length)
    return (
      <Text c="dimmed" size="sm" data-testid={`${testId}-empty`}>
        {t('scoping.noMembers')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('scoping.customer')}</Table.Th>
            <Table.Th>{t('scoping.customerNo')}</Table.Th>
            <Table.Th>{t('scoping.account')}</Table.Th>
            <Table.Th>{t('scoping.branchTier')}</Table.Th>
            <Table.Th>{t('scoping.phone')}</Table.Th>
            <Table.Th>{t('scoping.reasons')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((m) => (
            <Table.Tr key={m.customerId ?? `acct:${m.accountNo}`} data-testid="member-row">
              <Table.Td>
                {m.name ?? (
                  <Badge variant="light" color="gray">
                    {t('scoping.unknownCustomer')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{m.customerNo ?? '-'}</Table.Td>
              <Table.Td>{m.accountNo ?? '-'}</Table.Td>
              <Table.Td>{[m.branch, m.tier].filter(Boolean).join(' · ') || '-'}</Table.Td>
              <Table.Td>{m.phoneMasked ?? '-'}</Table.Td>
              <Table.Td>
                {m.reasons.map((r) => {
                  const text = reason(r);
                  return (
                    <Text key={text} size="xs">
                      {text}
                    </Text>
                  );
                })}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
