/** Badges for incident vocabulary: grade (coloured by severity), status, restricted marker. */
import { Badge, type BadgeProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Grade, Status } from '../../shared/enums.js';

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

export function GradeBadge({ grade, ...rest }: { grade: Grade } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color={GRADE_COLOUR[grade]} variant="filled" data-testid="grade-badge" data-grade={grade} {...rest}>
      {t(`grade.${grade}`)}
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
