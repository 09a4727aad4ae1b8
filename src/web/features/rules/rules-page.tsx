/** The detection rules: filters in the URL, compile errors, upload, and a table with level, log source, hits and the enabled switch. */
import { Anchor, Badge, Button, Grid, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { RuleSummary } from '../../../shared/rule-schemas.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { useUrlFilters } from '../../app/url-filters.js';
import { LevelBadge } from '../../ui/badges.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { LoadMore, NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { SearchField } from '../../ui/search-field.js';
import { displayTimeZone, formatDateTime } from '../../ui/time.js';
import { CompileErrorsPanel, EnabledControl } from './rule-parts.js';
import { logsourceText, rulePath, ruleTitle, useRuleList } from './rules-api.js';
import { UploadRulesModal } from './upload-rules-modal.js';

/** The list's filters in the URL. */
const FILTERS = { q: undefined, level: undefined, enabled: undefined, origin: undefined } as const;

function RuleRow({ rule }: { rule: RuleSummary }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.Tr
      data-testid="rule-row"
      data-id={rule.id}
      data-enabled={rule.enabled}
      style={rule.enabled ? undefined : { opacity: 0.6 }}
    >
      <Table.Td>
        <Anchor
          component={Link}
          to={rulePath(rule.id)}
          size="sm"
          fw={500}
          className="tocsin-break"
          data-testid="rule-row-title"
        >
          {ruleTitle(rule, i18n.language)}
        </Anchor>
        <Group gap={4} mt={2} wrap="wrap">
          {rule.kind !== 'detection' && (
            <Badge size="xs" variant="outline" color="indigo">
              {t(`rules.kind.${rule.kind}`)}
            </Badge>
          )}
          {!rule.reported && (
            <Badge size="xs" variant="outline" color="gray" title={t('rules.feedsOnlyHint')}>
              {t('rules.feedsOnly')}
            </Badge>
          )}
          {rule.origin === 'uploaded' && (
            <Badge size="xs" variant="outline" color="grape">
              {t('rules.origin.uploaded')}
            </Badge>
          )}
          {rule.error && (
            <Badge size="xs" color="orange" variant="light" title={rule.error} data-testid="rule-row-error">
              {t('rules.notCompiled')}
            </Badge>
          )}
          <Text size="xs" c="dimmed" ff="monospace" className="tocsin-break">
            {rule.file}
          </Text>
        </Group>
      </Table.Td>
      <Table.Td>{rule.level ? <LevelBadge level={rule.level} size="sm" /> : <Text size="sm">—</Text>}</Table.Td>
      <Table.Td>
        <Text size="sm" className="tocsin-break">
          {logsourceText(rule.logsource)}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        {/* A rule that only feeds correlations raises nothing itself: its hits show in its correlation. */}
        <Text size="sm" data-testid="rule-row-hits" title={rule.reported ? undefined : t('rules.feedsOnlyHint')}>
          {!rule.reported && rule.hits === 0 ? '—' : rule.hits.toLocaleString(i18n.language)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs">{rule.lastHitAt ? formatDateTime(rule.lastHitAt, i18n.language) : '—'}</Text>
      </Table.Td>
      <Table.Td>
        <EnabledControl rule={rule} />
      </Table.Td>
    </Table.Tr>
  );
}

export function RulesPage() {
  const { t } = useTranslation();
  const allowed = useCan('rule.read');
  const canManage = useCan('rule.manage');
  const options = useEnumOptions();
  const navigate = useNavigate();
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const [uploadOpen, uploadModal] = useDisclosure(false);
  usePageTitle(t('rules.title'));
  const list = useRuleList(filters);
  if (!allowed) return <NotPermitted />;

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('rules.title')}</Title>
        {canManage && (
          <Button onClick={uploadModal.open} data-testid="rule-upload-open">
            {t('rules.upload.open')}
          </Button>
        )}
      </Group>
      <CompileErrorsPanel />
      <Grid gutter="sm">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <SearchField
            value={filters.q}
            onSearch={(q) => setFilters({ q })}
            label={t('rules.search')}
            testId="rule-filter-q"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 4, md: 2 }}>
          <Select
            placeholder={t('rules.filter.level')}
            aria-label={t('rules.filter.level')}
            clearable
            data={options.alertLevels}
            value={filters.level ?? null}
            onChange={(v) => setFilters({ level: v })}
            data-testid="rule-filter-level"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 4, md: 2 }}>
          <Select
            placeholder={t('rules.filter.state')}
            aria-label={t('rules.filter.state')}
            clearable
            data={[
              { value: 'true', label: t('rules.enabled') },
              { value: 'false', label: t('rules.disabled') },
            ]}
            value={filters.enabled ?? null}
            onChange={(v) => setFilters({ enabled: v })}
            data-testid="rule-filter-enabled"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 4, md: 3 }}>
          <Select
            placeholder={t('rules.filter.origin')}
            aria-label={t('rules.filter.origin')}
            clearable
            data={[
              { value: 'file', label: t('rules.origin.file') },
              { value: 'uploaded', label: t('rules.origin.uploaded') },
            ]}
            value={filters.origin ?? null}
            onChange={(v) => setFilters({ origin: v })}
            data-testid="rule-filter-origin"
          />
        </Grid.Col>
      </Grid>
      <QueryView query={list} keepOnError>
        {(data) => {
          const rules = data.pages.flatMap((p) => p.items);
          return (
            <Table.ScrollContainer minWidth={860}>
              <Table verticalSpacing="xs" highlightOnHover data-testid="rule-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('rules.col.title')}</Table.Th>
                    <Table.Th>{t('rules.col.level')}</Table.Th>
                    <Table.Th>{t('rules.col.logsource')}</Table.Th>
                    <Table.Th ta="right">{t('rules.col.hits')}</Table.Th>
                    <Table.Th>{t('rules.col.lastHit')}</Table.Th>
                    <Table.Th>{t('rules.col.enabled')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rules.map((r) => (
                    <RuleRow key={r.id} rule={r} />
                  ))}
                </Table.Tbody>
              </Table>
              {rules.length === 0 && <EmptyState testId="rule-list-empty">{t('rules.empty')}</EmptyState>}
            </Table.ScrollContainer>
          );
        }}
      </QueryView>
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onClick={() => void list.fetchNextPage()}
      />
      <Text size="xs" c="dimmed" ta="right">
        {t('common.timesIn', { zone: displayTimeZone() })}
      </Text>
      {uploadOpen && (
        <UploadRulesModal
          onClose={uploadModal.close}
          onUploaded={(ids) => {
            uploadModal.close();
            const [only] = ids;
            if (ids.length === 1 && only !== undefined) navigate(rulePath(only));
            else setFilters({ origin: 'uploaded' });
          }}
        />
      )}
    </Stack>
  );
}
