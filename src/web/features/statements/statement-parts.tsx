/** Pieces of the statement screens: state and kind badges, the reviews given/needed, the contradiction flag. */
import { Alert, Badge, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { STATE_COLOR, type Statement, type StatementKind, type StatementState } from './statements-api.js';
import { pickZhEn } from '../../ui/localized.js';

export function StatementStateBadge({ state, testId }: { state: StatementState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLOR[state]} variant="light" data-testid={testId} data-state={state} style={{ flexShrink: 0 }}>
      {t(`statements.state.${state}`)}
    </Badge>
  );
}

export function KindBadge({ kind }: { kind: StatementKind }) {
  const { t } = useTranslation();
  return (
    <Badge color="grape" variant="outline" data-kind={kind} style={{ flexShrink: 0 }}>
      {t(`statements.kind.${kind}`)}
    </Badge>
  );
}

/** "1/2 reviews": how many of the reviews the kind needs were given for the current version. */
export function ReviewCount({ s }: { s: Pick<Statement, 'reviewsRequired' | 'emergency'> }) {
  const { t } = useTranslation();
  if (s.emergency)
    return (
      <Text size="sm" c="red" data-testid="statement-review-count">
        {t('statements.emergencyPath')}
      </Text>
    );
  const given = s.reviewsRequired.filter((r) => r.by !== null).length;
  const needed = s.reviewsRequired.length;
  return (
    <Text size="sm" c={given === needed ? 'teal' : 'dimmed'} data-testid="statement-review-count">
      {t('statements.reviewCount', { given, needed })}
    </Text>
  );
}

/** The statement repeats claims the fact register marks false: shown before anything else. */
export function ContradictionAlert({ s }: { s: Pick<Statement, 'flags'> }) {
  const { t, i18n } = useTranslation();
  if (s.flags.length === 0) return null;
  return (
    <Alert color="red" variant="filled" title={t('statements.flags.title')} data-testid="statement-flags">
      <Text size="sm">{t('statements.flags.intro')}</Text>
      <List size="sm" mt={4}>
        {s.flags.map((f) => (
          <List.Item key={f.factId} className="tocsin-break">
            {pickZhEn(f.claim, i18n.language) || f.factId}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** The small red marker lists use for a flagged statement. */
export function FlagBadge({ s }: { s: Pick<Statement, 'flags'> }) {
  const { t } = useTranslation();
  if (s.flags.length === 0) return null;
  return (
    <Badge color="red" variant="filled" data-testid="statement-flag-badge" style={{ flexShrink: 0 }}>
      {t('statements.flags.badge')}
    </Badge>
  );
}
