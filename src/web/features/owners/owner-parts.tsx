/** Pieces the worklist and the incident card share: the SLA badge, the customer's line, the pages that went out. */
import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
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

/** The escalations that went to the owner for this customer (a page, unless there was no incident to page about). */
export function Escalations({ a }: { a: OwnerAssignment }) {
  const { t, i18n } = useTranslation();
  if (a.escalations.length === 0) return null;
  return (
    <Stack gap={4} data-testid="owner-escalations">
      {a.escalations.map((e) => (
        <Alert
          key={`${e.kind}:${e.at}`}
          color={e.kind === 'callback' || e.kind === 'inquiry_new' ? 'blue' : 'red'}
          variant="light"
          p="xs"
          data-testid="owner-escalation"
          data-kind={e.kind}
        >
          {t(e.paged ? 'escalation.paged' : 'escalation.recorded', {
            what: e.kind === 'inquiry_new' ? t('inquiryRouting.kind') : t(`escalation.kind.${e.kind}`),
            at: formatDateTime(e.at, i18n.language),
          })}
        </Alert>
      ))}
    </Stack>
  );
}
