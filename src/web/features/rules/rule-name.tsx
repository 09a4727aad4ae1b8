/**
 * A rule named as people know it — its title in the console's language, linked to the rule page — where
 * alerts and suppressions only store its id. Probe and anomaly alerts have no rule page: their title is shown.
 */
import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RuleDetail } from '../../../shared/rule-schemas.js';
import { api } from '../../app/api.js';
import { useCan } from '../../app/session.js';
import { ruleKeys, ruleTitle } from './rules-api.js';

/** Alerts raised by probes and metric detectors carry ids of their own, not rule ids. */
export const isRuleId = (id: string) => !/^(probe|anomaly):/.test(id);

export function useRuleName(id: string | null) {
  const canRead = useCan('rule.read');
  return useQuery({
    queryKey: ruleKeys.one(id ?? ''),
    queryFn: ({ signal }) => api<RuleDetail>(`/rules/${encodeURIComponent(id!)}`, { signal }),
    enabled: Boolean(id && canRead && isRuleId(id)),
    staleTime: 5 * 60_000,
  });
}

/** `fallback` is what to show when the rule is not loaded (an alert's own copy of its title). */
export function RuleName({ id, fallback, size = 'sm' }: { id: string; fallback?: string; size?: string }) {
  const { t, i18n } = useTranslation();
  const rule = useRuleName(id);
  if (rule.data) {
    return (
      <Anchor
        component={Link}
        to={`/rules/${encodeURIComponent(id)}`}
        size={size}
        className="tocsin-break"
        data-testid="rule-name"
        data-rule-id={id}
      >
        {ruleTitle(rule.data, i18n.language)}
      </Anchor>
    );
  }
  return (
    <Text span size={size} className="tocsin-break" data-testid="rule-name" data-rule-id={id} title={id}>
      {fallback ?? (rule.isPending && rule.fetchStatus !== 'idle' ? '…' : id)}
      {rule.isError && (
        <Text span size="xs" c="dimmed">
          {' '}
          ({t('rules.detail.missing')})
        </Text>
      )}
    </Text>
  );
}
