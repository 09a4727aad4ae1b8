/** A payout batch's state as a badge, and its paid / failed / pending counts in a line. */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Batch } from './payouts-api.js';

const BATCH_COLORS = { draft: 'gray', exported: 'blue', paid: 'green', partly_paid: 'orange' } as const;

/** "paid 2 · failed 1 · pending 0". */
export function progress(t: (k: 'payouts.progress', o: Record<string, number>) => string, b: Batch): string {
  return t('payouts.progress', { paid: b.paid.count, failed: b.failed.count, pending: b.pending.count });
}

export function BatchState({ state }: { state: Batch['state'] }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={BATCH_COLORS[state]}
      variant="light"
      style={{ overflow: 'visible' }}
      data-testid="batch-state"
      data-state={state}
    >
      {t(`payouts.state.${state}`)}
    </Badge>
  );
}
