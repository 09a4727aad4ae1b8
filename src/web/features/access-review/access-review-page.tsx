/**
 * The security officer's access review (issue 17, docs/access-review.md): who has which role and how
 * they sign in, dormant accounts, API tokens; the dormancy threshold and "dormant only" in the URL; the
 * same review as CSV. Administrators also see the break-glass notices addressed to them.
 */
import { Button, Checkbox, Group, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { useUrlFilters } from '../../app/url-filters.js';
import { NotPermitted } from '../../ui/misc.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { accessReviewCsvUrl, useAccessReview } from './access-review-api.js';
import { AccountsTable, TokensTable } from './access-review-tables.js';
import { SecurityNotices } from './security-notices.js';

const FILTERS = { dormantDays: '90', dormant: undefined } as const;

function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Stack gap={0} data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="xl">
        {value}
      </Text>
    </Stack>
  );
}

export function AccessReviewPage() {
  const { t, i18n } = useTranslation();
  const allowed = useCan('access_review.read');
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const days = /^\d{1,4}$/.test(filters.dormantDays) ? filters.dormantDays : FILTERS.dormantDays;
  const review = useAccessReview(days);
  usePageTitle(t('accessReview.title'));
  if (!allowed) return <NotPermitted />;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('accessReview.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('accessReview.intro')}
          </Text>
        </div>
        <Button component="a" href={accessReviewCsvUrl(days, i18n.language)} download data-testid="access-review-csv">
          {t('accessReview.downloadCsv')}
        </Button>
      </Group>
      <SecurityNotices />
      <Group align="flex-end">
        <NumberInput
          w={300}
          label={t('accessReview.dormantDays')}
          min={1}
          max={3650}
          allowDecimal={false}
          value={Number(days)}
          onChange={(v) => typeof v === 'number' && v >= 1 && v <= 3650 && setFilters({ dormantDays: String(v) })}
          data-testid="access-review-days"
        />
        <Checkbox
          label={t('accessReview.dormantOnly')}
          checked={filters.dormant === '1'}
          onChange={(e) => setFilters({ dormant: e.currentTarget.checked ? '1' : null })}
          data-testid="access-review-dormant-only"
        />
      </Group>
      <QueryView query={review} keepOnError>
        {(r) => (
          <Stack gap="md">
            <SimpleGrid cols={{ base: 2, sm: 5 }}>
              <Figure label={t('accessReview.sum.accounts')} value={r.summary.accounts} testId="sum-accounts" />
              <Figure label={t('accessReview.sum.dormant')} value={r.summary.dormant} testId="sum-dormant" />
              <Figure label={t('accessReview.sum.disabled')} value={r.summary.disabled} testId="sum-disabled" />
              <Figure label={t('accessReview.sum.withoutMfa')} value={r.summary.withoutMfa} testId="sum-without-mfa" />
              <Figure label={t('accessReview.sum.activeTokens')} value={r.summary.activeTokens} testId="sum-tokens" />
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              {t('accessReview.generatedAt', { when: formatDateTime(r.generatedAt, i18n.language) })}
            </Text>
            <Title order={3}>{t('accessReview.accounts')}</Title>
            <AccountsTable accounts={filters.dormant === '1' ? r.accounts.filter((a) => a.dormant) : r.accounts} />
            <Title order={3}>{t('accessReview.tokens')}</Title>
            <TokensTable tokens={r.tokens} />
          </Stack>
        )}
      </QueryView>
    </Stack>
  );
}
