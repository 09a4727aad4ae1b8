/**
 * The customer import wizard at /customers/import: upload a CSV or XLSX file, map its columns (prefilled
 * from the header), the dry run (counts and every bad row with its line and reason), then commit with a
 * progress bar (large files continue on the server; the page follows them).
 */
import { useState } from 'react';
import {
  Badge,
  Button,
  Card,
  FileInput,
  Group,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { IMPORT_FIELDS, type ImportReport } from '../../../shared/customer-schemas.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { type CustomerImport, type ImportMapping, useImport, useImportSteps } from './customers-api.js';

function Counts({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" data-testid="import-counts">
      <Badge color="green" variant="light" data-testid="import-new">
        {t('customers.counts.new', { count: report.new })}
      </Badge>
      <Badge color="blue" variant="light" data-testid="import-updated">
        {t('customers.counts.updated', { count: report.updated })}
      </Badge>
      <Badge color="gray" variant="light" data-testid="import-unchanged">
        {t('customers.counts.unchanged', { count: report.unchanged })}
      </Badge>
      <Badge color="red" variant="light" data-testid="import-bad">
        {t('customers.counts.bad', { count: report.bad })}
      </Badge>
    </Group>
  );
}

function BadRows({ report }: { report: ImportReport }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  if (report.badRows.length === 0) return <Text c="dimmed">{t('customers.noBadRows')}</Text>;
  return (
    <Table striped data-testid="import-bad-rows">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={80}>{t('customers.line')}</Table.Th>
          <Table.Th w={160}>{t('customers.column')}</Table.Th>
          <Table.Th>{t('customers.reason')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {report.badRows.map((b) => (
          <Table.Tr
            key={`${b.line}-${b.field}-${b.code}-${b.message.en}`}
            data-testid="import-bad-row"
            data-line={b.line}
            data-code={b.code}
          >
            <Table.Td>{b.line}</Table.Td>
            <Table.Td>{b.field ? t(`customers.fields.${b.field as (typeof IMPORT_FIELDS)[number]}`) : '—'}</Table.Td>
            <Table.Td>{zh ? b.message.zh : b.message.en}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function MappingStep({
  imp,
  onCheck,
  busy,
}: {
  imp: CustomerImport;
  onCheck: (m: ImportMapping) => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const [mapping, setMapping] = useState<ImportMapping>(imp.mapping ?? imp.suggestedMapping);
  const columns = imp.header.map((h, i) => ({ value: String(i), label: h || `#${i + 1}` }));
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('customers.mappingHint', { file: imp.fileName, rows: imp.rowCount, encoding: imp.encoding })}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
        {IMPORT_FIELDS.map((f) => (
          <Select
            key={f}
            label={t(`customers.fields.${f}`)}
            data={columns}
            clearable
            placeholder={t('customers.notImported')}
            value={mapping[f] === undefined || mapping[f] === null ? null : String(mapping[f])}
            onChange={(v) => setMapping({ ...mapping, [f]: v === null ? null : Number(v) })}
            data-testid={`map-${f}`}
          />
        ))}
      </SimpleGrid>
      <Group justify="flex-end">
        <Button onClick={() => onCheck(mapping)} loading={busy} data-testid="import-check">
          {t('customers.dryRun')}
        </Button>
      </Group>
    </Stack>
  );
}

export function ImportWizardPage() {
  const { t } = useTranslation();
  const allowed = useCan('customer.manage');
  const [file, setFile] = useState<File | null>(null);
  const [id, setId] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const steps = useImportSteps();
  const imp = useImport(id).data;
  usePageTitle(t('customers.importTitle'));
  if (!allowed) return <NotPermitted />;
  const active = !imp ? 0 : imp.state === 'uploaded' || editing ? 1 : imp.state === 'checked' ? 2 : 3;
  const error = steps.upload.error ?? steps.check.error ?? steps.commit.error;
  return (
    <Stack gap="md" data-testid="import-wizard">
      <Title order={2}>{t('customers.importTitle')}</Title>
      {error && <ProblemAlert error={error} />}
      <Card withBorder radius="md">
        <Stepper active={active} size="sm">
          <Stepper.Step label={t('customers.steps.upload')}>
            <Stack>
              <Text size="sm" c="dimmed">
                {t('customers.uploadHint')}
              </Text>
              <FileInput
                label={t('customers.file')}
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                value={file}
                onChange={setFile}
                data-testid="import-file"
              />
              <Group justify="flex-end">
                <Button
                  disabled={!file}
                  loading={steps.upload.isPending}
                  data-testid="import-upload"
                  onClick={() => file && steps.upload.mutate(file, { onSuccess: (r) => setId(r.id) })}
                >
                  {t('customers.upload')}
                </Button>
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label={t('customers.steps.mapping')}>
            {imp && (
              <MappingStep
                imp={imp}
                busy={steps.check.isPending}
                onCheck={(mapping) =>
                  steps.check.mutate({ id: imp.id, mapping }, { onSuccess: () => setEditing(false) })
                }
              />
            )}
          </Stepper.Step>
          <Stepper.Step label={t('customers.steps.dryRun')}>
            {imp?.report && (
              <Stack>
                <Counts report={imp.report} />
                <BadRows report={imp.report} />
                <Group justify="space-between">
                  <Button variant="default" onClick={() => setEditing(true)} data-testid="import-back">
                    {t('customers.changeMapping')}
                  </Button>
                  <Button
                    color="green"
                    loading={steps.commit.isPending}
                    onClick={() => steps.commit.mutate(imp.id)}
                    data-testid="import-commit"
                  >
                    {t('customers.commit', { count: imp.report.new + imp.report.updated })}
                  </Button>
                </Group>
              </Stack>
            )}
          </Stepper.Step>
          <Stepper.Step label={t('customers.steps.commit')}>
            {imp && (
              <Stack data-testid="import-progress" data-state={imp.state}>
                <Progress
                  value={imp.rowCount === 0 ? 100 : (imp.rowsDone / imp.rowCount) * 100}
                  animated={imp.state === 'committing'}
                  size="lg"
                />
                <Text size="sm">{t('customers.progress', { done: imp.rowsDone, total: imp.rowCount })}</Text>
                {imp.state === 'committed' && imp.report && (
                  <>
                    <Text fw={500} data-testid="import-done">
                      {t('customers.committed')}
                    </Text>
                    <Counts report={imp.report} />
                    <Group>
                      <Button component={Link} to="/customers" data-testid="import-to-list">
                        {t('customers.toList')}
                      </Button>
                    </Group>
                  </>
                )}
              </Stack>
            )}
          </Stepper.Step>
        </Stepper>
      </Card>
    </Stack>
  );
}
