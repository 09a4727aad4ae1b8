/** Upload rules: paste YAML or choose a .yml file; what does not compile is listed rule by rule, and nothing is stored. */
import { useState, type FormEvent } from 'react';
import {
  Alert as Notice,
  Button,
  FileButton,
  Group,
  List,
  Modal,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.js';
import { keyed } from '../../ui/keys.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useUploadRules } from './rules-api.js';

const MAX_CHARS = 512 * 1024;

export function UploadRulesModal({
  onClose,
  onUploaded,
}: {
  onClose: () => void;
  onUploaded: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const upload = useUploadRules();
  const [fileName, setFileName] = useState('local-rules.yml');
  const [yaml, setYaml] = useState('');
  const [readError, setReadError] = useState<string | null>(null);

  const choose = async (file: File | null) => {
    if (!file) return;
    setReadError(null);
    if (file.size > MAX_CHARS) {
      setReadError(t('rules.upload.tooLarge'));
      return;
    }
    setFileName(file.name);
    setYaml(await file.text());
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!yaml.trim() || !fileName.trim()) return;
    upload.mutate({ fileName: fileName.trim(), yaml }, { onSuccess: (r) => onUploaded(r.items.map((x) => x.id)) });
  };

  // A 422 names each rule that did not compile (path "yaml.<rule id>") and why.
  const compileErrors =
    upload.error instanceof ApiError && upload.error.status === 422 ? (upload.error.problem.errors ?? []) : [];

  return (
    <Modal opened onClose={onClose} title={t('rules.upload.title')} size="xl">
      <form onSubmit={submit} data-testid="rule-upload-form">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('rules.upload.intro')}
          </Text>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              style={{ flex: 1, minWidth: 200 }}
              label={t('rules.upload.fileName')}
              required
              maxLength={200}
              value={fileName}
              onChange={(e) => setFileName(e.currentTarget.value)}
              data-testid="rule-upload-filename"
            />
            <FileButton onChange={(f) => void choose(f)} accept=".yml,.yaml,text/yaml,application/yaml">
              {(props) => (
                <Button variant="default" {...props} data-testid="rule-upload-choose">
                  {t('rules.upload.choose')}
                </Button>
              )}
            </FileButton>
          </Group>
          <Textarea
            label={t('rules.upload.yaml')}
            required
            autosize
            minRows={10}
            maxRows={22}
            maxLength={MAX_CHARS}
            value={yaml}
            onChange={(e) => setYaml(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            placeholder={'title: …\nid: <a new UUID>\nlogsource:\n  product: …\ndetection:\n  …'}
            spellCheck={false}
            data-testid="rule-upload-yaml"
            data-autofocus
          />
          {readError && <Notice color="red">{readError}</Notice>}
          {compileErrors.length > 0 ? (
            <Notice
              color="red"
              variant="light"
              title={t('rules.upload.notCompiled', { count: compileErrors.length })}
              data-testid="rule-upload-errors"
            >
              <List size="sm" spacing={4}>
                {keyed(compileErrors, (e) => e.path).map(({ key, item: e }) => {
                  const rule = e.path.startsWith('yaml.') ? e.path.slice(5) : null;
                  return (
                    <List.Item key={key} data-testid="rule-upload-error">
                      {rule && (
                        <Text span size="sm" ff="monospace" fw={600} className="tocsin-break">
                          {rule}:{' '}
                        </Text>
                      )}
                      <Text span size="sm" className="tocsin-break">
                        {e.message}
                      </Text>
                    </List.Item>
                  );
                })}
              </List>
              <Text size="xs" mt="xs">
                {t('rules.upload.nothingStored')}
              </Text>
            </Notice>
          ) : (
            <ProblemAlert error={upload.error} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={upload.isPending} disabled={!yaml.trim()} data-testid="rule-upload-submit">
              {t('rules.upload.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
