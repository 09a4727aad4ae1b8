/** The tamper-evident audit log (admin, auditor): filter, page through, verify the hash chain, export NDJSON. */
import { useState } from 'react';
import { Alert, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useCan, useSession } from '../../app/session.js';
import { useUrlFilters } from '../../app/url-filters.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { AUDIT_EXPORT_URL, useAuditPage, useVerifyAudit } from './audit-api.js';
import { AUDIT_FILTERS, AuditFilterForm, auditQuery } from './audit-filter-form.js';
import { AuditRow } from './audit-row.js';

const PAGE_SIZES = ['25', '50', '100', '200'];

function VerifyResult({ verify }: { verify: ReturnType<typeof useVerifyAudit> }) {
  const { t } = useTranslation();
  if (verify.error) return <ProblemAlert error={verify.error} />;
  const r = verify.data;
  if (!r) return null;
  return r.ok ? (
    <Alert color="teal" title={t('audit.verifyOk')} data-testid="audit-verify-result" data-ok="true">
      {t('audit.verifyChecked', { n: r.checked })}
      {r.head && (
        <Text size="xs" mt={4} ff="monospace" className="tocsin-break" data-testid="audit-head">
          {t('audit.head', { seq: r.head.seq, hash: r.head.hash })}
        </Text>
      )}
    </Alert>
  ) : (
    <Alert color="red" title={t('audit.verifyBad')} data-testid="audit-verify-result" data-ok="false">
      {t('audit.verifyChecked', { n: r.checked })}
      {r.firstBad && ` ${t('audit.firstBad', { seq: r.firstBad.seq, reason: r.firstBad.reason })}`}
    </Alert>
  );
}

/** Newer / page n / older, and how many a page shows. Older pages are reached by the cursor the page before handed out. */
function Pager(props: {
  page: number;
  hasOlder: boolean;
  busy: boolean;
  size: number;
  onNewer: () => void;
  onOlder: () => void;
  onSize: (n: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" data-testid="audit-pager">
      <Group gap="xs">
        <Text size="sm">{t('audit.pageSize')}</Text>
        <Select
          w={90}
          data={PAGE_SIZES}
          value={String(props.size)}
          onChange={(v) => v && props.onSize(Number(v))}
          allowDeselect={false}
          aria-label={t('audit.pageSize')}
          data-testid="audit-page-size"
        />
      </Group>
      <Group gap="xs">
        <Button
          variant="default"
          size="xs"
          disabled={props.page === 1 || props.busy}
          onClick={props.onNewer}
          data-testid="audit-newer"
        >
          {t('audit.newer')}
        </Button>
        <Text size="sm" data-testid="audit-page">
          {t('audit.page', { n: props.page })}
        </Text>
        <Button
          variant="default"
          size="xs"
          disabled={!props.hasOlder || props.busy}
          onClick={props.onOlder}
          data-testid="audit-older"
        >
          {t('audit.older')}
        </Button>
      </Group>
    </Group>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const allowed = useCan('audit.read');
  const seesAll = useSession().user.role === 'admin';
  const [url, setUrl] = useUrlFilters(AUDIT_FILTERS);
  const filters = auditQuery(url);
  const [size, setSize] = useState(50);
  // cursors[i] opens page i + 1; the newest page needs none. Other filters or another page size start anew.
  const view = JSON.stringify([filters, size]);
  const [paging, setPaging] = useState<{ view: string; cursors: (string | undefined)[] }>({
    view,
    cursors: [undefined],
  });
  const cursors = paging.view === view ? paging.cursors : [undefined];
  const setCursors = (next: (string | undefined)[]) => setPaging({ view, cursors: next });
  const page = cursors.length;
  const log = useAuditPage(filters, size, cursors[page - 1], allowed);
  const verify = useVerifyAudit();
  usePageTitle(t('audit.title'));
  if (!allowed) return <NotPermitted />;

  const next = log.data?.next ?? null;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('audit.title')}</Title>
        <Group gap="xs">
          <Button
            variant="default"
            onClick={() => verify.mutate()}
            loading={verify.isPending}
            data-testid="audit-verify"
          >
            {t('audit.verify')}
          </Button>
          <Button
            component="a"
            variant="default"
            href={AUDIT_EXPORT_URL}
            download="tocsin-audit.ndjson"
            data-testid="audit-export"
          >
            {t('audit.export')}
          </Button>
        </Group>
      </Group>
      <VerifyResult verify={verify} />
      {!seesAll && (
        <Text size="sm" c="dimmed" data-testid="audit-need-to-know">
          {t('audit.needToKnow')}
        </Text>
      )}
      <Card withBorder radius="md">
        <AuditFilterForm
          value={url}
          onApply={(f) => {
            setUrl(f);
            setCursors([undefined]);
          }}
        />
      </Card>
      <QueryView query={log} keepOnError>
        {({ items }) => (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table
                striped
                verticalSpacing="xs"
                data-testid="audit-table"
                style={{ opacity: log.isPlaceholderData ? 0.6 : 1 }}
              >
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>{t('audit.at')}</Table.Th>
                    <Table.Th>{t('audit.actor')}</Table.Th>
                    <Table.Th>{t('audit.action')}</Table.Th>
                    <Table.Th>{t('audit.target')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((e) => (
                    <AuditRow key={e.id} entry={e} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {items.length === 0 && <EmptyState testId="audit-empty">{t('audit.empty')}</EmptyState>}
          </>
        )}
      </QueryView>
      <Pager
        page={page}
        hasOlder={next !== null}
        busy={log.isFetching}
        size={size}
        onNewer={() => setCursors(cursors.slice(0, -1))}
        onOlder={() => next && setCursors([...cursors, next])}
        onSize={setSize}
      />
    </Stack>
  );
}
