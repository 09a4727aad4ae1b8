/** /reviews (issue 16): post-incident reviews, soonest due first; the filters open and overdue. */
import { Anchor, Badge, Chip, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { REVIEW_STATE_COLOR } from './review-page.js';
import { useReviews } from './reviews-api.js';

export function ReviewsPage() {
  const { t, i18n } = useTranslation();
  const canRead = useCan('review.read');
  const [open, setOpen] = useState(true);
  const [overdue, setOverdue] = useState(false);
  const reviews = useReviews({ overdue, state: open ? 'open' : undefined });
  usePageTitle(t('reviews.listTitle'));
  if (!canRead) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="reviews-page">
      <Title order={2}>{t('reviews.listTitle')}</Title>
      <Group gap="xs">
        <Chip checked={open} onChange={setOpen} data-testid="filter-open">
          {t('reviews.filter.open')}
        </Chip>
        <Chip checked={overdue} onChange={setOverdue} data-testid="filter-overdue">
          {t('reviews.filter.overdue')}
        </Chip>
      </Group>
      <QueryView query={reviews}>
        {(items) =>
          items.length ? (
            <Table.ScrollContainer minWidth={600}>
              <Table striped data-testid="reviews-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('reviews.incident')}</Table.Th>
                    <Table.Th>{t('reviews.grade')}</Table.Th>
                    <Table.Th>{t('reviews.stateLabel')}</Table.Th>
                    <Table.Th>{t('reviews.due')}</Table.Th>
                    <Table.Th>{t('reviews.openItems')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((r) => (
                    <Table.Tr key={r.id} data-testid="review-row">
                      <Table.Td>
                        <Anchor
                          component={Link}
                          to={`/incidents/${encodeURIComponent(r.incidentKey)}/review`}
                          size="sm"
                        >
                          {r.incidentKey}
                        </Anchor>
                        <Text size="xs" className="tocsin-break">
                          {r.incidentTitle}
                        </Text>
                      </Table.Td>
                      <Table.Td>{r.grade}</Table.Td>
                      <Table.Td>
                        <Badge color={REVIEW_STATE_COLOR[r.state]}>{t(`reviews.state.${r.state}`)}</Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={r.overdue ? 'red' : undefined}>
                          {formatDateTime(r.dueAt, i18n.language)}
                          {r.overdue ? ` · ${t('reviews.overdue')}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {r.openItems} / {r.items}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <EmptyState>{t('reviews.empty')}</EmptyState>
          )
        }
      </QueryView>
    </Stack>
  );
}
