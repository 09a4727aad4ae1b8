/**
 * Statements across the incidents one may see at /statements: filtered by state and kind (kept in the
 * URL), and the approval inbox (`?view=inbox`: statements in review still needing a review one's role
 * may give).
 */
import { Anchor, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { useUrlFilters } from '../../app/url-filters.js';
import { LoadMore, NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { FlagBadge, KindBadge, ReviewCount, StatementStateBadge } from './statement-parts.js';
import {
  KINDS,
  STATES,
  type Statement,
  type StatementFilters,
  statementPath,
  statementTitle,
  useStatementList,
} from './statements-api.js';

const FILTERS = { view: 'all', state: undefined, kind: undefined } as const;

function StatementRow({ s }: { s: Statement }) {
  const { i18n } = useTranslation();
  return (
    <Table.Tr data-testid="statement-row" data-id={s.id} data-state={s.state}>
      <Table.Td style={{ minWidth: 220 }}>
        <Group gap={6} wrap="nowrap">
          <Anchor component={Link} to={statementPath(s.id)} size="sm" fw={500} className="tocsin-break">
            {statementTitle(s.version, i18n.language)}
          </Anchor>
          <FlagBadge s={s} />
        </Group>
      </Table.Td>
      <Table.Td>
        <KindBadge kind={s.kind} />
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/incidents/${encodeURIComponent(s.incidentKey)}`} size="sm" ff="monospace">
          {s.incidentKey}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <StatementStateBadge state={s.state} />
      </Table.Td>
      <Table.Td>
        <ReviewCount s={s} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(s.updatedAt, i18n.language)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

export function StatementsPage() {
  const { t } = useTranslation();
  const allowed = useCan('statement.read');
  const canReview = useCan('statement.review');
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const inbox = canReview && filters.view === 'inbox';
  const query: StatementFilters = inbox
    ? { state: 'in_review', reviewer: 'me', kind: filters.kind }
    : { state: filters.state, kind: filters.kind };
  const list = useStatementList(query);
  usePageTitle(t('statements.title'));
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md">
      <Title order={2}>{t('statements.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('statements.intro')}
      </Text>
      {canReview && (
        <SegmentedControl
          value={inbox ? 'inbox' : 'all'}
          onChange={(v) => setFilters({ view: v })}
          data={[
            { value: 'all', label: t('statements.view.all') },
            { value: 'inbox', label: t('statements.view.inbox') },
          ]}
          style={{ alignSelf: 'flex-start' }}
          data-testid="statements-view"
        />
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        {!inbox && (
          <Select
            placeholder={t('statements.col.state')}
            aria-label={t('statements.col.state')}
            clearable
            value={filters.state ?? null}
            onChange={(v) => setFilters({ state: v })}
            data={STATES.map((s) => ({ value: s, label: t(`statements.state.${s}`) }))}
            data-testid="statements-filter-state"
          />
        )}
        <Select
          placeholder={t('statements.col.kind')}
          aria-label={t('statements.col.kind')}
          clearable
          value={filters.kind ?? null}
          onChange={(v) => setFilters({ kind: v })}
          data={KINDS.map((k) => ({ value: k, label: t(`statements.kind.${k}`) }))}
          data-testid="statements-filter-kind"
        />
      </SimpleGrid>
      <QueryView query={list} keepOnError>
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (items.length === 0)
            return (
              <EmptyState testId="statements-empty">
                {inbox ? t('statements.emptyInbox') : t('statements.empty')}
              </EmptyState>
            );
          return (
            <Stack gap="sm">
              <Table.ScrollContainer minWidth={760}>
                <Table verticalSpacing="xs" data-testid="statement-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('statements.col.title')}</Table.Th>
                      <Table.Th>{t('statements.col.kind')}</Table.Th>
                      <Table.Th>{t('statements.col.incident')}</Table.Th>
                      <Table.Th>{t('statements.col.state')}</Table.Th>
                      <Table.Th>{t('statements.col.reviews')}</Table.Th>
                      <Table.Th>{t('statements.col.updated')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((s) => (
                      <StatementRow key={s.id} s={s} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <LoadMore
                hasMore={!!list.hasNextPage}
                loading={list.isFetchingNextPage}
                onClick={() => list.fetchNextPage()}
              />
            </Stack>
          );
        }}
      </QueryView>
    </Stack>
  );
}
