/** Pieces shared by the rule list and the rule page: the enabled switch, the compile-errors panel. */
import { Alert as Notice, Badge, Card, Group, List, Loader, Switch, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { keyed } from '../../ui/keys.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { useRuleStatus, useSetRuleEnabled } from './rules-api.js';

/** A switch for those who may manage rules; a badge for everyone else. */
export function EnabledControl({
  rule,
  withLabel = false,
}: {
  rule: { id: string; enabled: boolean };
  withLabel?: boolean;
}) {
  const { t } = useTranslation();
  const canManage = useCan('rule.manage');
  const set = useSetRuleEnabled();
  if (!canManage) {
    return (
      <Badge
        color={rule.enabled ? 'teal' : 'gray'}
        variant="light"
        data-testid="rule-enabled-badge"
        data-enabled={rule.enabled}
      >
        {rule.enabled ? t('rules.enabled') : t('rules.disabled')}
      </Badge>
    );
  }
  // While the change is in flight the switch shows where it is going.
  const checked = set.isPending && set.variables ? set.variables.enabled : rule.enabled;
  return (
    <>
      <Switch
        checked={checked}
        disabled={set.isPending}
        onChange={(e) => set.mutate({ id: rule.id, enabled: e.currentTarget.checked })}
        aria-label={t('rules.enabledSwitch')}
        label={withLabel ? (checked ? t('rules.enabled') : t('rules.disabled')) : undefined}
        color="teal"
        data-testid="rule-enabled"
        data-enabled={rule.enabled}
      />
      <ProblemAlert error={set.error} />
    </>
  );
}

/** The live rule set's compile errors: which file, which rule, why. */
export function CompileErrorsPanel() {
  const { t, i18n } = useTranslation();
  const status = useRuleStatus();
  const s = status.data;
  return (
    <Card withBorder radius="md" data-testid="rule-errors">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={4}>{t('rules.errors.title')}</Title>
        {s && (
          <Group gap="xs">
            {s.pending && (
              <Badge color="blue" variant="light" leftSection={<Loader size={10} />} data-testid="rule-errors-pending">
                {t('rules.errors.pending')}
              </Badge>
            )}
            <Text size="xs" c="dimmed" data-testid="rule-errors-summary">
              {t('rules.errors.summary', {
                compiled: s.compiled,
                disabled: s.disabled,
                time: formatDateTime(s.loadedAt, i18n.language, true),
              })}
            </Text>
          </Group>
        )}
      </Group>
      <QueryView query={status} keepOnError compact>
        {({ errors }) =>
          errors.length === 0 ? (
            <Text size="sm" c="teal.8" data-testid="rule-errors-none">
              {t('rules.errors.none')}
            </Text>
          ) : (
            <Notice color="orange" variant="light" title={t('rules.errors.count', { count: errors.length })}>
              <List size="sm" spacing={4} data-testid="rule-errors-list">
                {keyed(errors, (e) => `${e.file}:${e.ruleId ?? ''}`).map(({ key, item: e }) => (
                  <List.Item key={key} data-testid="rule-error">
                    <Text span size="sm" ff="monospace" className="tocsin-break">
                      {e.file}
                    </Text>
                    {(e.title || e.ruleId) && (
                      <Text span size="sm" fw={500}>
                        {' · '}
                        {e.title ?? e.ruleId}
                      </Text>
                    )}
                    <Text size="sm" className="tocsin-break">
                      {e.reason}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </Notice>
          )
        }
      </QueryView>
    </Card>
  );
}
