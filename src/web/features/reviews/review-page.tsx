/**
 * An incident's post-incident review at /incidents/:key/review (issue 16): the facts filled from the data,
 * the blameless sections and factors with five whys, the action items (add one), submit and close; an
 * incident without a review offers the button that opens one (grade IV, drills).
 */
import { Anchor, Badge, Button, Card, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../app/api.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { ActionItemDrawer } from './action-item-form.js';
import { ActionItemsTable } from './action-items-table.js';
import { ReviewEditor } from './review-editor.js';
import { ReviewFacts } from './review-facts.js';
import { type Review, useReview, useReviewMutations } from './reviews-api.js';

export const REVIEW_STATE_COLOR: Record<Review['state'], string> = {
  draft: 'gray',
  in_review: 'yellow',
  closed: 'green',
};

function Header({ r, m }: { r: Review; m: ReturnType<typeof useReviewMutations> }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Group gap="xs">
          <Badge color={REVIEW_STATE_COLOR[r.state]} data-testid="rv-state" data-state={r.state}>
            {t(`reviews.state.${r.state}`)}
          </Badge>
          <Badge variant="light">{r.required ? t('reviews.required') : t('reviews.optional')}</Badge>
          <Text size="sm" c={r.overdue ? 'red' : 'dimmed'} data-testid="rv-due">
            {t('reviews.dueAt', { at: formatDateTime(r.dueAt, i18n.language) })}
            {r.overdue ? ` · ${t('reviews.overdue')}` : ''}
          </Text>
        </Group>
        <Group gap="xs">
          {r.can.submit && (
            <Button
              size="sm"
              onClick={() => m.step.mutate('submit')}
              loading={m.step.isPending}
              data-testid="rv-submit"
            >
              {t('reviews.submit')}
            </Button>
          )}
          {r.can.close && (
            <Button
              size="sm"
              color="green"
              onClick={() => m.step.mutate('close')}
              loading={m.step.isPending}
              data-testid="rv-close"
            >
              {t('reviews.close')}
            </Button>
          )}
        </Group>
        <Group gap="xs">
          <Text size="sm">{t('reviews.download')}</Text>
          {(['pdf', 'docx'] as const).flatMap((f) =>
            (['zh-CN', 'en'] as const).map((lang) => (
              <Anchor
                key={`${f}-${lang}`}
                size="sm"
                href={`/api/v1/incidents/${encodeURIComponent(r.incidentKey)}/review/review.${f}?lang=${lang}`}
                data-testid={`rv-${f}-${lang}`}
              >
                {f.toUpperCase()} ({lang === 'zh-CN' ? '中文' : 'English'})
              </Anchor>
            )),
          )}
        </Group>
        <ProblemAlert error={m.step.error} />
      </Stack>
    </Paper>
  );
}

function Items({ r, m }: { r: Review; m: ReturnType<typeof useReviewMutations> }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  return (
    <Card withBorder radius="md" data-testid="rv-items">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('reviews.actionItems')}</Title>
          {r.can.addItem && (
            <Button size="xs" onClick={() => setAdding(true)} data-testid="rv-add-item">
              {t('actionItems.new')}
            </Button>
          )}
        </Group>
        <ActionItemsTable items={r.actionItems} />
      </Stack>
      {adding && (
        <ActionItemDrawer
          pending={m.addItem.isPending}
          error={m.addItem.error}
          onClose={() => setAdding(false)}
          onSubmit={(body) => m.addItem.mutate(body, { onSuccess: () => setAdding(false) })}
        />
      )}
    </Card>
  );
}

function NoReview({ incidentKey, error }: { incidentKey: string; error: unknown }) {
  const { t } = useTranslation();
  const mayOpen = useCan('review.manage');
  const m = useReviewMutations(incidentKey);
  if (!(error instanceof ApiError && error.problem.code === 'review.not_found')) return <ProblemAlert error={error} />;
  return (
    <Paper withBorder p="md" radius="md" data-testid="rv-none">
      <Stack gap="xs">
        <Text>{t('reviews.none')}</Text>
        {mayOpen && (
          <Group>
            <Button onClick={() => m.open.mutate()} loading={m.open.isPending} data-testid="rv-open">
              {t('reviews.open')}
            </Button>
          </Group>
        )}
        <ProblemAlert error={m.open.error} />
      </Stack>
    </Paper>
  );
}

export function ReviewPage() {
  const { key = '' } = useParams();
  const { t } = useTranslation();
  const canRead = useCan('review.read');
  const review = useReview(key);
  const m = useReviewMutations(key);
  usePageTitle(`${key} · ${t('reviews.title')}`);
  if (!canRead) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="review-page" data-key={key}>
      <Stack gap={4}>
        <Anchor component={Link} to={`/incidents/${encodeURIComponent(key)}`} size="sm" data-testid="rv-back">
          ← {t('reviews.back', { key })}
        </Anchor>
        <Title order={2} fz={{ base: 20, sm: 26 }}>
          {t('reviews.title')} · {key}
        </Title>
        {review.data && <Text className="tocsin-break">{review.data.incidentTitle}</Text>}
      </Stack>
      {review.error ? (
        <NoReview incidentKey={key} error={review.error} />
      ) : (
        <QueryView query={review}>
          {(r) => (
            <Stack gap="md">
              <Header r={r} m={m} />
              <Items r={r} m={m} />
              <Grid gutter="md">
                <Grid.Col span={{ base: 12, lg: 7 }}>
                  <ReviewEditor key={r.revision} r={r} m={m} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, lg: 5 }}>
                  <ReviewFacts facts={r.facts} />
                </Grid.Col>
              </Grid>
            </Stack>
          )}
        </QueryView>
      )}
    </Stack>
  );
}
