/**
 * A rule named as people know it — its title in the console's language, linked to the rule page — where
 * alerts and suppressions only store its id. Probe and anomaly alerts have no rule page: their title is shown.
 */
import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { rulePath, ruleTitle, useRuleName } from './rules-api.js';

/** `fallback` is what to show when the rule is not loaded (an alert's own copy of its title). */
export function RuleName({ id, fallback, size = 'sm' }: { id: string; fallback?: string; size?: string }) {
  const { t, i18n } = useTranslation();
  const rule = useRuleName(id);
  if (rule.data) {
    return (
      <Anchor
        component={Link}
        to={rulePath(id)}
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
