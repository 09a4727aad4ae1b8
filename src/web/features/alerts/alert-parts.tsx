/** Small pieces shared by the alert queue, the alert page and the war room: entity badges and the alert's actions. */
import { Badge, Button, Group, Text, type MantineSize } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { EntityKind } from '../../../shared/enums.js';
import { useCan } from '../../app/session.js';
import type { Alert, Entities } from '../../app/types.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { entityList } from './alert-entities.js';
import { useAcknowledgeAlert } from './alerts-api.js';
import { FalsePositiveModal } from './false-positive-modal.js';

/** A correlation's group-by values (what it counted by), as one line of text. */
export function GroupLine({ group }: { group: Record<string, unknown> | null }) {
  if (!group || Object.keys(group).length === 0) return null;
  const text = Object.entries(group)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
  return (
    <Text size="xs" ff="monospace" c="dimmed" className="tocsin-break" data-testid="alert-group">
      {text}
    </Text>
  );
}

const KIND_COLOUR: Record<EntityKind, string> = { account: 'indigo', host: 'teal', ip: 'cyan' };

export function EntityBadges({
  entities,
  max = 6,
  size = 'sm',
}: {
  entities: Entities;
  max?: number;
  size?: MantineSize;
}) {
  const { t } = useTranslation();
  const all = entityList(entities);
  if (all.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap" data-testid="alert-entities">
      {all.slice(0, max).map((e) => (
        <Badge
          key={`${e.kind}:${e.value}`}
          size={size}
          variant="outline"
          color={KIND_COLOUR[e.kind]}
          tt="none"
          maw="100%"
          data-testid="entity-badge"
        >
          {t(`entityKind.${e.kind}`)} {e.value}
        </Badge>
      ))}
      {all.length > max && (
        <Badge size={size} variant="transparent" color="gray" tt="none">
          +{all.length - max}
        </Badge>
      )}
    </Group>
  );
}

/** Acknowledge and false-positive buttons, for the roles that may act on alerts. */
export function AlertActions({ alert, size = 'compact-sm' }: { alert: Alert; size?: 'compact-sm' | 'sm' }) {
  const { t } = useTranslation();
  const canManage = useCan('alert.manage');
  const ack = useAcknowledgeAlert();
  const [fpOpen, fp] = useDisclosure(false);
  if (!canManage) return null;
  const live = alert.status === 'open' || alert.status === 'acknowledged';
  return (
    <>
      <Group gap={6} wrap="nowrap">
        {alert.status === 'open' && (
          <Button
            size={size}
            variant="light"
            loading={ack.isPending}
            onClick={() => ack.mutate(alert.id)}
            data-testid="alert-ack"
          >
            {t('alerts.acknowledge')}
          </Button>
        )}
        {live && (
          <Button size={size} variant="subtle" color="gray" onClick={fp.open} data-testid="alert-fp">
            {t('alerts.falsePositive')}
          </Button>
        )}
      </Group>
      <ProblemAlert error={ack.error} />
      {fpOpen && <FalsePositiveModal alert={alert} onClose={fp.close} />}
    </>
  );
}
