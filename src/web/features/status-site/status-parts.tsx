/** Small pieces of the status site's management: the public state's badge, texts in both languages. */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ComponentState } from '../../../shared/status-site.js';

/** A badge that keeps its whole label: it neither shrinks nor cuts its text in a narrow row. */
export const WHOLE = { style: { flexShrink: 0 }, styles: { label: { overflow: 'visible' } } } as const;

const STATE_COLORS: Record<ComponentState, string> = {
  operational: 'teal',
  maintenance: 'blue',
  degraded: 'yellow',
  partial_outage: 'orange',
  major_outage: 'red',
};

/** A service's public state as the status page shows it. */
export function StateBadge({ state }: { state: ComponentState }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLORS[state]} variant="light" data-testid="status-state" {...WHOLE} data-state={state}>
      {t(`statusSite.state.${state}`)}
    </Badge>
  );
}
