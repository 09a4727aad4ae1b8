/** Who reviewed what, when: the reviews the kind needs (and who gave each), every review of every version, the publication. */
import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/time.js';
import type { Statement } from './statements-api.js';

const VERDICT_COLOR = { approve: 'teal', request_changes: 'orange', emergency_approve: 'red' } as const;

export function ReviewsCard({ s }: { s: Statement }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Card withBorder radius="md" data-testid="statement-reviews">
      <Stack gap="sm">
        <Title order={5}>{t('statements.reviews.title')}</Title>
        <Stack gap={4}>
          {s.reviewsRequired.map((r) => (
            <Group
              key={r.review}
              gap="xs"
              wrap="nowrap"
              data-testid="statement-required"
              data-given={r.by ? 'yes' : 'no'}
            >
              <Badge variant={r.by ? 'filled' : 'outline'} color={r.by ? 'teal' : 'gray'} style={{ flexShrink: 0 }}>
                {t(`statements.review.${r.review}`)}
              </Badge>
              <Text size="sm" c={r.by ? undefined : 'dimmed'} className="tocsin-break">
                {r.by ? r.by.name : s.emergency ? t('statements.emergencyPath') : t('statements.reviews.open')}
              </Text>
            </Group>
          ))}
        </Stack>
        {s.reviews.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('statements.reviews.none')}
          </Text>
        ) : (
          <Stack gap="xs">
            {[...s.reviews].reverse().map((r) => (
              <Stack key={r.id} gap={0} data-testid="statement-review" data-verdict={r.verdict}>
                <Group gap={6} wrap="wrap">
                  <Badge size="sm" color={VERDICT_COLOR[r.verdict]} variant="light">
                    {t(`statements.verdict.${r.verdict}`)}
                  </Badge>
                  <Text size="sm" fw={500}>
                    {r.reviewer.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`role.${r.role}` as 'role.admin', { defaultValue: r.role })} ·{' '}
                    {t('statements.versionN', { n: r.version })} · {formatDateTime(r.at, lang)}
                  </Text>
                </Group>
                {r.comment && (
                  <Text size="sm" className="tocsin-pre">
                    {r.comment}
                  </Text>
                )}
              </Stack>
            ))}
          </Stack>
        )}
        {s.emergency && (
          <Text size="sm" c="red" data-testid="statement-emergency-record">
            {t('statements.reviews.emergency', {
              names: s.emergency.approvers.map((a) => a.name).join(t('statements.listSep')),
              at: formatDateTime(s.emergency.at, lang),
              reason: s.emergency.reason,
            })}
          </Text>
        )}
        {s.publishedAt && (
          <Text size="sm" data-testid="statement-published">
            {t('statements.reviews.published', {
              name: s.publishedBy?.name ?? '—',
              at: formatDateTime(s.publishedAt, lang),
            })}
            {s.publication && (
              <>
                {' · '}
                <Anchor href={s.publication.path} target="_blank" rel="noopener" data-testid="statement-public-link">
                  {t('statements.reviews.publicPage')}
                </Anchor>
              </>
            )}
          </Text>
        )}
        {s.withdrawnAt && (
          <Text size="sm" c="dimmed" className="tocsin-break" data-testid="statement-withdrawn">
            {t('statements.reviews.withdrawn', {
              at: formatDateTime(s.withdrawnAt, lang),
              reason: s.withdrawReason ?? '',
            })}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
