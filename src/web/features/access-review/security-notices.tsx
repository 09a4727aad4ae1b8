/** Break-glass sign-ins told to this administrator (identity module's notices): who, when, from where. */
import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { formatDateTime } from '../../ui/time.js';
import { useSecurityNotices } from './access-review-api.js';

const SHOWN = 5;

export function SecurityNotices() {
  const { t, i18n } = useTranslation();
  const isAdmin = useCan('user.manage');
  const notices = useSecurityNotices(isAdmin);
  const items = notices.data ?? [];
  if (!isAdmin || items.length === 0) return null;
  return (
    <Alert color="red" variant="light" title={t('securityNotices.title')} data-testid="security-notices">
      <Text size="sm" mb="xs">
        {t('securityNotices.body')}
      </Text>
      <List size="sm" spacing={4}>
        {items.slice(0, SHOWN).map((n) => (
          <List.Item key={n.id} data-testid="security-notice">
            {t('securityNotices.breakGlass', {
              name: n.userName || n.userId,
              when: formatDateTime(n.createdAt, i18n.language),
              address: n.address ?? t('securityNotices.unknownAddress'),
            })}
          </List.Item>
        ))}
      </List>
      {items.length > SHOWN && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('securityNotices.more', { count: items.length - SHOWN })}
        </Text>
      )}
    </Alert>
  );
}
