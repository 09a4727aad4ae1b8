/** A payout batch's actions (compensation.pay): its bank and ledger files, mark paid, the bank's return file. */
import { Alert, Button, Card, FileInput, Group, List, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { download } from './file-download.js';
import { displayTimeZone, localInputToIso } from '../../ui/time.js';
import {
  type Batch,
  batchFileUrl,
  type PayoutEncoding,
  type ReturnResult,
  useImportReturn,
  useInvalidateCompensation,
  useMarkPaid,
} from './payouts-api.js';

export function BatchFiles({ incidentKey, batch }: { incidentKey: string; batch: Batch }) {
  const { t } = useTranslation();
  const [encoding, setEncoding] = useState<PayoutEncoding>('gbk');
  const invalidate = useInvalidateCompensation();
  const file = useMutation({
    mutationFn: (format: 'bank' | 'ledger') =>
      download(
        batchFileUrl(incidentKey, batch.id, format, format === 'bank' ? encoding : undefined),
        `${batch.id}${format === 'ledger' ? '-ledger' : ''}.csv`,
      ),
    // The first export marks the batch exported.
    onSuccess: invalidate,
  });
  return (
    <Card withBorder radius="sm" p="sm" data-testid="batch-files">
      <Stack gap="xs">
        <Text fw={600}>{t('payouts.files')}</Text>
        <Group gap="sm" align="center">
          <SegmentedControl
            size="xs"
            value={encoding}
            onChange={(v) => setEncoding(v as PayoutEncoding)}
            data={[
              { value: 'gbk', label: 'GBK' },
              { value: 'utf-8', label: 'UTF-8' },
            ]}
            data-testid="batch-encoding"
          />
          <Button
            size="xs"
            disabled={batch.pending.count === 0}
            loading={file.isPending && file.variables === 'bank'}
            onClick={() => file.mutate('bank')}
            data-testid="batch-bank-file"
          >
            {t('payouts.bankFile')}
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={file.isPending && file.variables === 'ledger'}
            onClick={() => file.mutate('ledger')}
            data-testid="batch-ledger-file"
          >
            {t('payouts.ledgerFile')}
          </Button>
        </Group>
        <Text size="xs" c="orange.8" data-testid="batch-reveal-note">
          {t('payouts.revealNote')}
        </Text>
        <ProblemAlert error={file.error} />
      </Stack>
    </Card>
  );
}

export function MarkPaid({ incidentKey, batch }: { incidentKey: string; batch: Batch }) {
  const { t } = useTranslation();
  const [reference, setReference] = useState('');
  const [paidAt, setPaidAt] = useState('');
  const paid = useMarkPaid(incidentKey, batch.id);
  const notExported = batch.exportedAt === null;
  return (
    <Card withBorder radius="sm" p="sm" data-testid="batch-mark-paid">
      <Stack gap="xs">
        <Text fw={600}>{t('payouts.markPaid')}</Text>
        <Text size="xs" c="dimmed">
          {notExported ? t('payouts.exportFirst') : t('payouts.markPaidHint', { count: batch.pending.count })}
        </Text>
        <TextInput
          label={t('payouts.reference')}
          value={reference}
          onChange={(e) => setReference(e.currentTarget.value)}
          error={fieldError(paid.error, 'reference')}
          data-testid="batch-paid-reference"
        />
        <TextInput
          type="datetime-local"
          label={t('payouts.paidAt')}
          description={t('payouts.paidAtHint', { zone: displayTimeZone() })}
          value={paidAt}
          onChange={(e) => setPaidAt(e.currentTarget.value)}
          error={fieldError(paid.error, 'paidAt')}
          data-testid="batch-paid-at"
        />
        <Group>
          <Button
            disabled={!reference.trim() || notExported}
            loading={paid.isPending}
            onClick={() => paid.mutate({ reference: reference.trim(), paidAt: localInputToIso(paidAt) })}
            data-testid="batch-paid-submit"
          >
            {t('payouts.markPaidSubmit')}
          </Button>
        </Group>
        <ProblemAlert error={paid.error} />
      </Stack>
    </Card>
  );
}

export function ReturnFile({ incidentKey, batch }: { incidentKey: string; batch: Batch }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState<'auto' | PayoutEncoding>('auto');
  const upload = useImportReturn(incidentKey, batch.id);
  return (
    <Card withBorder radius="sm" p="sm" data-testid="batch-return">
      <Stack gap="xs">
        <Text fw={600}>{t('payouts.returnFile')}</Text>
        <Text size="xs" c="dimmed">
          {t('payouts.returnHint')}
        </Text>
        <FileInput
          label={t('payouts.returnChoose')}
          accept=".csv,text/csv"
          value={file}
          onChange={setFile}
          clearable
          data-testid="batch-return-file"
        />
        <SegmentedControl
          size="xs"
          value={encoding}
          onChange={(v) => setEncoding(v as typeof encoding)}
          data={[
            { value: 'auto', label: t('payouts.encodingAuto') },
            { value: 'utf-8', label: 'UTF-8' },
            { value: 'gbk', label: 'GBK' },
          ]}
          data-testid="batch-return-encoding"
        />
        <Group>
          <Button
            disabled={!file}
            loading={upload.isPending}
            onClick={() => file && upload.mutate({ file, encoding: encoding === 'auto' ? undefined : encoding })}
            data-testid="batch-return-submit"
          >
            {t('payouts.returnSubmit')}
          </Button>
        </Group>
        <ProblemAlert error={upload.error} />
        {upload.data && <ReturnOutcome result={upload.data} />}
      </Stack>
    </Card>
  );
}

function ReturnOutcome({ result }: { result: ReturnResult }) {
  const { t } = useTranslation();
  return (
    <Alert color={result.problems.length ? 'orange' : 'green'} variant="light" data-testid="batch-return-result">
      <Text size="sm">
        {t('payouts.returnResult', {
          paid: result.paid,
          failed: result.failed,
          unchanged: result.unchanged,
          count: result.problems.length,
          encoding: result.encoding.toUpperCase(),
        })}
      </Text>
      {result.problems.length > 0 && (
        <List size="sm" mt="xs" data-testid="batch-return-problems">
          {result.problems.map((p) => (
            <List.Item key={p.line}>{t('payouts.returnLine', { line: p.line, reason: p.reason })}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
