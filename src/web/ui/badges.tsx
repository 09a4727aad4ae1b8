/** Badges for incident and alert vocabulary: grade (coloured by severity), status, restricted marker, alert level and status. */
import { Badge, type BadgeProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AlertLevel, AlertStatus, Grade, Status } from '../../shared/enums.js';

const GRADE_COLOUR: Record<Grade, string> = { I: 'red', II: 'orange', III: 'yellow', IV: 'blue' };

const STATUS_COLOUR: Record<Status, string> = {
  detected: 'red',
  acknowledged: 'orange',
  contained: 'yellow',
  eradicated: 'lime',
  recovered: 'teal',
  closed: 'gray',
  false_positive: 'gray',
};

/** `short`: the label dense tables use (the full one is its tooltip). */
export function GradeBadge({ grade, short = false, ...rest }: { grade: Grade; short?: boolean } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge
      color={GRADE_COLOUR[grade]}
      variant="filled"
      data-testid="grade-badge"
      data-grade={grade}
      title={short ? t(`grade.${grade}`) : undefined}
      {...rest}
    >
      {short ? t(`gradeShort.${grade}`) : t(`grade.${grade}`)}
    </Badge>
  );
}

export function StatusBadge({ status, ...rest }: { status: Status } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOUR[status]} variant="light" data-testid="status-badge" data-status={status} {...rest}>
      {t(`status.${status}`)}
    </Badge>
  );
}

export function RestrictedBadge(props: BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color="grape" variant="outline" data-testid="restricted-badge" {...props}>
      {t('incident.restricted')}
    </Badge>
  );
}

/** A drill incident: plans run, connectors only record what they would have sent. */
export function DrillBadge(props: BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color="cyan" variant="outline" data-testid="drill-badge" {...props}>
      {t('incident.drill')}
    </Badge>
  );
}

const LEVEL_COLOUR: Record<AlertLevel, string> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'blue',
  informational: 'gray',
};
const ALERT_STATUS_COLOUR: Record<AlertStatus, string> = {
  open: 'red',
  acknowledged: 'orange',
  false_positive: 'gray',
  suppressed: 'violet',
};

export function LevelBadge({ level, ...rest }: { level: AlertLevel } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color={LEVEL_COLOUR[level]} variant="filled" data-testid="level-badge" data-level={level} {...rest}>
      {t(`level.${level}`)}
    </Badge>
  );
}

export function AlertStatusBadge({ status, ...rest }: { status: AlertStatus } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge
      color={ALERT_STATUS_COLOUR[status]}
      variant="light"
      data-testid="alert-status-badge"
      data-status={status}
      {...rest}
    >
      {t(`alertStatus.${status}`)}
    </Badge>
  );
}
