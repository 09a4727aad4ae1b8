/**
 * Adding a file to the evidence locker: what it is, where it came from, how it was acquired, the
 * acquirer's own SHA-256 (a mismatch is flagged, not refused), the file; the upload shows its progress.
 */
import {
  Button,
  FileInput,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { type EvidenceItem, type UploadFields, useUploadEvidence } from './evidence-api.js';

const EMPTY: UploadFields = { description: '', sourceSystem: '', acquisitionMethod: '', acquirerSha256: '' };

export function EvidenceUploadForm({
  incidentKey,
  onAdded,
}: {
  incidentKey: string;
  onAdded: (i: EvidenceItem) => void;
}) {
  const { t } = useTranslation();
  const [fields, setFields] = useState<UploadFields>(EMPTY);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState(0);
  const upload = useUploadEvidence(incidentKey, setProgress);
  const set = (k: keyof UploadFields) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setFields((f) => ({ ...f, [k]: value }));
  };
  const hashBad = fields.acquirerSha256.trim() !== '' && !/^[0-9a-fA-F]{64}$/.test(fields.acquirerSha256.trim());
  return (
    <Paper withBorder p="md" radius="md" data-testid="evidence-upload">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!file) return;
          setProgress(0);
          upload.mutate(
            { fields, file },
            {
              onSuccess: (item) => {
                setFields(EMPTY);
                setFile(null);
                onAdded(item);
              },
            },
          );
        }}
      >
        <Stack gap="xs">
          <Title order={4}>{t('evidence.upload.title')}</Title>
          <Textarea
            label={t('evidence.field.description')}
            autosize
            minRows={2}
            maxLength={4000}
            value={fields.description}
            onChange={set('description')}
            error={fieldError(upload.error, 'description')}
            data-testid="evidence-description"
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
            <TextInput
              label={t('evidence.field.sourceSystem')}
              maxLength={200}
              value={fields.sourceSystem}
              onChange={set('sourceSystem')}
              data-testid="evidence-source"
            />
            <TextInput
              label={t('evidence.field.acquisitionMethod')}
              maxLength={200}
              value={fields.acquisitionMethod}
              onChange={set('acquisitionMethod')}
              data-testid="evidence-method"
            />
            <TextInput
              label={t('evidence.field.acquirerSha256')}
              description={t('evidence.upload.acquirerHint')}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              value={fields.acquirerSha256}
              onChange={set('acquirerSha256')}
              error={hashBad ? t('evidence.upload.badHash') : fieldError(upload.error, 'acquirerSha256')}
              data-testid="evidence-acquirer-sha"
            />
          </SimpleGrid>
          <Group gap="xs" align="flex-end" wrap="wrap">
            <FileInput
              clearable
              label={t('evidence.upload.file')}
              placeholder={t('evidence.upload.choose')}
              value={file}
              onChange={(f) => {
                upload.reset();
                setFile(f);
              }}
              miw={260}
              style={{ flex: 1 }}
              data-testid="evidence-file"
            />
            <Button type="submit" disabled={!file || hashBad} loading={upload.isPending} data-testid="evidence-submit">
              {t('evidence.upload.submit')}
            </Button>
          </Group>
          {upload.isPending && (
            <Progress
              value={Math.round(progress * 100)}
              animated
              aria-label={t('evidence.upload.progress')}
              data-testid="evidence-progress"
            />
          )}
          <ProblemAlert error={upload.error} />
        </Stack>
      </form>
    </Paper>
  );
}
