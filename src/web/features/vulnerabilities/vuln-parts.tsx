/** Small pieces of the vulnerabilities page: severity, status, SLA-breach and KEV badges, EPSS. */
import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { VulnFinding } from './vuln-api.js';

const SEVERITY_COLOR = { critical: 'red', high: 'orange', medium: 'yellow', low: 'blue', info: 'gray' } as const;
const STATUS_COLOR = {
  open: 'red',
  in_remediation: 'blue',
  fixed: 'green',
  accepted_risk: 'grape',
  false_positive: 'gray',
} as const;

export function SeverityBadge({ f }: { f: Pick<VulnFinding, 'severity' | 'cvssScore'> }) {
  const { t } = useTranslation();
  return (
    <Badge color={SEVERITY_COLOR[f.severity]} variant="filled" data-testid="vuln-severity">
      {t(`vulns.severity.${f.severity}`)}
      {f.cvssScore !== null ? ` ${f.cvssScore.toFixed(1)}` : ''}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: VulnFinding['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid="vuln-status">
      {t(`vulns.status.${status}`)}
    </Badge>
  );
}

/** The due date, with the SLA-breach badge when it has passed, and the KEV badge. */
export function DueCell({ f, when }: { f: VulnFinding; when: (iso: string | null) => string }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="sm" c={f.pastSla ? 'red' : undefined}>
        {f.dueAt ? when(f.dueAt) : '—'}
      </Text>
      {f.pastSla && (
        <Badge color="red" size="sm" data-testid="vuln-past-sla">
          {t('vulns.pastSla')}
        </Badge>
      )}
      {f.kev && (
        <Badge color="dark" size="sm" data-testid="vuln-kev">
          KEV
        </Badge>
      )}
    </Group>
  );
}

export const epssText = (f: Pick<VulnFinding, 'epss' | 'epssPercentile'>) =>
  f.epss === null ? '—' : `${(f.epss * 100).toFixed(1)}%`;
