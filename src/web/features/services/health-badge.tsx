/** A health state as a coloured badge: up, degraded, down, unknown. */
import { Badge, type BadgeProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { HealthState } from '../../../shared/probe-schemas.js';

const COLOUR: Record<HealthState, string> = { up: 'teal', degraded: 'yellow', down: 'red', unknown: 'gray' };

export function HealthBadge({
  state,
  testId = 'health-badge',
  ...rest
}: { state: HealthState; testId?: string } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge
      color={COLOUR[state]}
      variant={state === 'down' ? 'filled' : 'light'}
      data-testid={testId}
      data-state={state}
      {...rest}
    >
      {t(`probes.state.${state}`)}
    </Badge>
  );
}
