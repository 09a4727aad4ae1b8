/** The tamper-evident audit log (admin, auditor): filter, verify the hash chain, export NDJSON. */
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Alert, Button, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { LoadMore, NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { AUDIT_EXPORT_URL, useAuditLog, useVerifyAudit, type AuditFilters } from './audit-api.js';
import { AuditRow } from './audit-row.js';

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

export function AuditPage() {
  const { t } = useTranslation();
  const allowed = useCan('audit.read');
  const [draft, setDraft] = useState<AuditFilters>({});
  const [filters, setFilters] = useState<AuditFilters>({});
  const log = useAuditLog(filters, allowed);
  const verify = useVerifyAudit();
  if (!allowed) return <NotPermitted />;

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const clean = Object.fromEntries(Object.entries(draft).filter(([, v]) => v && v.trim())) as AuditFilters;
    setFilters(clean);
  };
  const field = (k: keyof AuditFilters) => ({
    value: draft[k] ?? '',
    onChange: (e: ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [k]: e.currentTarget.value }),
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('audit.title')}</Title>
        <Group gap="xs">
          <Button variant="default" onClick={() => verify.mutate()} loading={verify.isPending} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
          <Button component="a" variant="default" href={AUDIT_EXPORT_URL} download="tocsin-audit.ndjson" data-testid="audit-export">
            {t('audit.export')}
          </Button>
        </Group>
      </Group>
      <VerifyResult verify={verify} />
      <form onSubmit={apply}>
        <SimpleGrid cols={{ base: 1, sm: 4 }} spacing="sm">
          <TextInput placeholder={t('audit.action')} aria-label={t('audit.action')} {...field('action')} />
          <TextInput placeholder={t('audit.targetType')} aria-label={t('audit.targetType')} {...field('targetType')} />
          <TextInput placeholder={t('audit.targetId')} aria-label={t('audit.targetId')} {...field('targetId')} />
          <Button type="submit" variant="light">
            {t('common.filter')}
          </Button>
        </SimpleGrid>
      </form>
      <ProblemAlert error={log.error} />
      <Table.ScrollContainer minWidth={760}>
        <Table striped verticalSpacing="xs" data-testid="audit-table">
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
      <LoadMore hasMore={log.hasNextPage} loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()} />
    </Stack>
  );
}
