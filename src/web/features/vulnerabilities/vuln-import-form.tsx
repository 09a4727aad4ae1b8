/** Importing a scanner file from the console: format, scanner, scope, the file; then the import's result. */
import { Alert, Button, FileInput, Group, List, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VULN_FORMATS } from '../../../shared/vulnerability-schemas.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useImport, type VulnImport } from './vuln-api.js';

export function VulnImportForm() {
  const { t } = useTranslation();
  const [format, setFormat] = useState<string>('nessus');
  const [scanner, setScanner] = useState('');
  const [scope, setScope] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<VulnImport | null>(null);
  const run = useImport();
  return (
    <Paper withBorder p="md" radius="md" data-testid="vuln-import">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!file) return;
          setResult(null);
          run.mutate({ fields: { format, scanner, scope }, file }, { onSuccess: (r) => setResult(r) });
        }}
      >
        <Stack gap="xs">
          <Title order={4}>{t('vulns.import.title')}</Title>
          <Group gap="xs" align="flex-end" wrap="wrap">
            <Select
              label={t('vulns.import.format')}
              data={VULN_FORMATS.map((f) => ({ value: f, label: t(`vulns.format.${f}`) }))}
              value={format}
              onChange={(v) => setFormat(v ?? 'nessus')}
              allowDeselect={false}
              w={200}
              data-testid="vuln-import-format"
            />
            <TextInput
              label={t('vulns.import.scanner')}
              value={scanner}
              onChange={(e) => setScanner(e.currentTarget.value)}
              maxLength={100}
              w={180}
              data-testid="vuln-import-scanner"
            />
            <TextInput
              label={t('vulns.import.scope')}
              value={scope}
              onChange={(e) => setScope(e.currentTarget.value)}
              maxLength={200}
              w={180}
            />
            <FileInput
              clearable
              label={t('vulns.import.file')}
              placeholder={t('vulns.import.choose')}
              value={file}
              onChange={(f) => {
                run.reset();
                setFile(f);
              }}
              miw={240}
              style={{ flex: 1 }}
              data-testid="vuln-import-file"
            />
            <Button type="submit" disabled={!file} loading={run.isPending} data-testid="vuln-import-submit">
              {t('vulns.import.submit')}
            </Button>
          </Group>
          {run.error ? <ProblemAlert error={run.error} /> : null}
          {result && (
            <Alert color={result.counts.rejected ? 'yellow' : 'green'} data-testid="vuln-import-result">
              <Text size="sm" fw={600}>
                {t('vulns.import.result', { ...result.counts, file: result.fileName, encoding: result.encoding })}
              </Text>
              {result.rejections.length > 0 && (
                <List size="xs" mt={4}>
                  {result.rejections.slice(0, 20).map((r) => (
                    <List.Item key={`${r.ref}-${r.reason}`}>
                      {r.ref}: {r.reason}
                    </List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
