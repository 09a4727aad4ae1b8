/** The Approvals tab: the claims the signed-in user may approve (with tier and amount), and bulk approval of a reviewed run. */
import { Alert, Badge, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadMore } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime, formatMoney } from '../../ui/time.js';
import { ClaimDrawer } from './claim-drawer.js';
import {
  type BulkApproveResult,
  type Claim,
  useBulkApprove,
  useClaimAction,
  useInbox,
  useRuns,
} from './compensation-api.js';

export function ApprovalsTab({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const inbox = useInbox();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack gap="md">
      <BulkApprove incidentKey={incidentKey} />
      <Card withBorder radius="md">
        <Stack gap="sm">
          <Title order={4}>{t('comp.inbox.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('comp.inbox.hint')}
          </Text>
          <QueryView query={inbox} keepOnError>
            {(data) => {
              const rows = data.pages.flatMap((p) => p.items);
              return rows.length === 0 ? (
                <EmptyState compact testId="inbox-empty">
                  {t('comp.inbox.empty')}
                </EmptyState>
              ) : (
                <>
                  <InboxTable claims={rows} onOpen={setOpen} />
                  <LoadMore
                    hasMore={inbox.hasNextPage}
                    loading={inbox.isFetchingNextPage}
                    onClick={() => void inbox.fetchNextPage()}
                  />
                </>
              );
            }}
          </QueryView>
        </Stack>
      </Card>
      {open && <ClaimDrawer claimId={open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}

function InboxTable({ claims, onOpen }: { claims: Claim[]; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover data-testid="inbox-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('comp.claims.ref')}</Table.Th>
            <Table.Th>{t('comp.claims.incident')}</Table.Th>
            <Table.Th>{t('comp.claims.customer')}</Table.Th>
            <Table.Th ta="right">{t('comp.claims.amount')}</Table.Th>
            <Table.Th>{t('comp.claims.approval')}</Table.Th>
            <Table.Th>{t('comp.claim.accepted')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {claims.map((c) => (
            <InboxRow key={c.id} claim={c} onOpen={onOpen} locale={i18n.language} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function InboxRow({ claim: c, onOpen, locale }: { claim: Claim; onOpen: (id: string) => void; locale: string }) {
  const { t } = useTranslation();
  const approve = useClaimAction(c.id);
  return (
    <>
      <Table.Tr data-testid="inbox-row" data-ref={c.ref}>
        <Table.Td ff="monospace">
          <Button variant="subtle" size="compact-sm" onClick={() => onOpen(c.id)}>
            {c.ref}
          </Button>
        </Table.Td>
        <Table.Td ff="monospace">{c.incidentKey}</Table.Td>
        <Table.Td>
          <Text size="sm">{c.customer.name}</Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {c.customer.customerNo}
          </Text>
        </Table.Td>
        <Table.Td ta="right" ff="monospace">
          {formatMoney(c.amountMinor, c.currency, locale)}
        </Table.Td>
        <Table.Td>
          <Badge variant="light" data-testid="inbox-tier">
            {t(`comp.tier.${c.approval.tier as 'lead'}`, { defaultValue: c.approval.tier })} · {c.approval.given}/
            {c.approval.needed}
          </Badge>
        </Table.Td>
        <Table.Td>
          <Text size="xs">{formatDateTime(c.acceptedAt, locale)}</Text>
        </Table.Td>
        <Table.Td>
          <Button
            size="compact-xs"
            color="green"
            loading={approve.isPending}
            onClick={() => approve.mutate({ action: 'approve', body: {} })}
            data-testid="inbox-approve"
          >
            {t('comp.action.approve')}
          </Button>
        </Table.Td>
      </Table.Tr>
      {approve.error ? (
        <Table.Tr>
          <Table.Td colSpan={7}>
            <ProblemAlert error={approve.error} />
          </Table.Td>
        </Table.Tr>
      ) : null}
    </>
  );
}

function BulkApprove({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const { i18n } = useTranslation();
  const runs = useRuns(incidentKey);
  const reviewed = (runs.data ?? []).filter((r) => r.state === 'reviewed' && r.proposedAt);
  const [runId, setRunId] = useState<string | null>(null);
  const bulk = useBulkApprove(incidentKey);
  const chosen = runId ?? reviewed[0]?.id ?? null;
  return (
    <Card withBorder radius="md" data-testid="bulk-approve">
      <Stack gap="sm">
        <Title order={4}>{t('comp.bulk.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('comp.bulk.hint')}
        </Text>
        {reviewed.length === 0 ? (
          <EmptyState compact>{t('comp.bulk.noRun')}</EmptyState>
        ) : (
          <Group align="flex-end" gap="sm">
            <Select
              label={t('comp.claims.run')}
              data={reviewed.map((r) => ({
                value: r.id,
                label: `${t(`comp.method.${r.method as 'fixed'}`)} · ${formatDateTime(r.createdAt, i18n.language)} · ${formatMoney(r.compensationMinor, r.currency, i18n.language)}`,
              }))}
              value={chosen}
              onChange={setRunId}
              allowDeselect={false}
              w={440}
              data-testid="bulk-run"
            />
            <Button
              color="green"
              onClick={() => chosen && bulk.mutate(chosen)}
              loading={bulk.isPending}
              data-testid="bulk-submit"
            >
              {t('comp.bulk.submit')}
            </Button>
          </Group>
        )}
        <ProblemAlert error={bulk.error} />
        {bulk.data && <BulkResult result={bulk.data} />}
      </Stack>
    </Card>
  );
}

function BulkResult({ result }: { result: BulkApproveResult }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="bulk-result">
      <Alert color={result.refused > 0 ? 'orange' : 'green'} data-testid="bulk-summary">
        {t('comp.bulk.summary', { approved: result.approved, recorded: result.recorded, refused: result.refused })}
      </Alert>
      {result.items.length > 0 && (
        <Table.ScrollContainer minWidth={400} mah={320}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('comp.claims.ref')}</Table.Th>
                <Table.Th>{t('comp.bulk.outcome')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.items.map((i) => (
                <Table.Tr key={i.claimId} data-testid="bulk-item" data-outcome={i.outcome}>
                  <Table.Td ff="monospace">{i.ref ?? i.claimId}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={i.outcome === 'approved' || i.outcome === 'approval_recorded' ? 'green' : 'red'}>
                      {t(`comp.outcome.${i.outcome}`)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
