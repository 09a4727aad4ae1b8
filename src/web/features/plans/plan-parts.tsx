/** Pieces of the plan screens: the status and review badges, and a unified diff shown line by line. */
import { Badge, Box, Code, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/time.js';
import { type PlanStatus, STATUS_COLOR } from './plans-api.js';

export function PlanStatusBadge({ status, testId }: { status: PlanStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid={testId} data-status={status}>
      {t(`plans.status.${status}`)}
    </Badge>
  );
}

/** "Review due" when the active version's review date has passed; the date otherwise. */
export function ReviewBadge({
  plan,
  withLabel = false,
}: {
  plan: { reviewDue: boolean; reviewDueAt: string | null };
  withLabel?: boolean;
}) {
  const { t, i18n } = useTranslation();
  if (plan.reviewDue)
    return (
      <Badge color="orange" variant="filled" title={t('plans.reviewDueHint')} data-testid="plan-review-due">
        {t('plans.reviewDue')}
      </Badge>
    );
  return (
    <Text size="sm" c="dimmed">
      {plan.reviewDueAt
        ? withLabel
          ? t('plans.reviewBy', { date: formatDateTime(plan.reviewDueAt, i18n.language) })
          : formatDateTime(plan.reviewDueAt, i18n.language)
        : withLabel
          ? ''
          : '—'}
    </Text>
  );
}

const lineColor = (line: string) =>
  line.startsWith('+++') || line.startsWith('---')
    ? 'var(--mantine-color-gray-light)'
    : line.startsWith('+')
      ? 'var(--mantine-color-green-light)'
      : line.startsWith('-')
        ? 'var(--mantine-color-red-light)'
        : line.startsWith('@@')
          ? 'var(--mantine-color-blue-light)'
          : undefined;

/** A unified diff (jsdiff's patch text), added lines green, removed red. */
export function DiffView({ diff }: { diff: string }) {
  const lines = diff.split('\n').filter((l) => !l.startsWith('====') && !l.startsWith('Index:'));
  return (
    <Code block style={{ maxHeight: 560, overflow: 'auto', padding: 0 }} data-testid="plan-diff">
      {lines.map((line, i) => (
        <Box
          // biome-ignore lint/suspicious/noArrayIndexKey: diff lines are shown in order and never reordered
          key={i}
          component="div"
          px="xs"
          style={{ background: lineColor(line), whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          data-diff={
            line.startsWith('+') && !line.startsWith('+++')
              ? 'add'
              : line.startsWith('-') && !line.startsWith('---')
                ? 'del'
                : undefined
          }
        >
          {line || ' '}
        </Box>
      ))}
    </Code>
  );
}
