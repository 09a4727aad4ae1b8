/** Pieces the worklist and the incident card share: the SLA badge and the customer's line. */
import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/time.js';
import type { OwnerAssignment } from './owners-api.js';

/** Red when not reached past the SLA, green once reached or resolved, otherwise the time it is due. */
export function SlaBadge({ a }: { a: OwnerAssignment }) {
  const { t, i18n } = useTranslation();
  if (a.overdue)
    return (
      <Badge color="red" variant="filled" data-testid="sla-badge" data-sla="overdue">
        {t('owners.slaOverdue', { at: formatDateTime(a.slaDueAt, i18n.language) })}
      </Badge>
    );
  if (a.state !== 'open')
    return (
      <Badge color="green" variant="light" data-testid="sla-badge" data-sla={a.state}>
        {t(`owners.state.${a.state}`)}
      </Badge>
    );
  return (
    <Badge color="yellow" variant="light" data-testid="sla-badge" data-sla="due">
      {t('owners.slaDue', { at: formatDateTime(a.slaDueAt, i18n.language) })}
    </Badge>
  );
}

export function CustomerLine({ a }: { a: OwnerAssignment }) {
  const c = a.customer;
  return (
    <Group gap="xs" wrap="wrap">
      <Text fw={600}>{c.name}</Text>
      <Text size="sm" c="dimmed">
        {c.customerNo}
      </Text>
      {c.tier && (
        <Badge size="sm" variant="outline">
          {c.tier}
        </Badge>
      )}
      {c.phoneMasked && <Text size="sm">{c.phoneMasked}</Text>}
      {c.emailMasked && <Text size="sm">{c.emailMasked}</Text>}
    </Group>
  );
}
