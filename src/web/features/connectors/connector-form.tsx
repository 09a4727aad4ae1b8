/** The form to add a connector: its kind, name, configuration and secrets (fields from the kind's JSON Schema), allowed hosts. */
import { useState, type FormEvent } from 'react';
import { Button, Group, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConnectorKindInfo } from '../../../shared/connector-schemas.js';
import { pick } from '../../ui/localized.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { useCreateConnector } from './connectors-api.js';
import { type FieldTexts, type JsonSchema, SchemaFields, valuesOf } from './schema-fields.js';

export function ConnectorForm({ kinds, onDone }: { kinds: ConnectorKindInfo[]; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const create = useCreateConnector();
  const [kind, setKind] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [config, setConfig] = useState<FieldTexts>({});
  const [secrets, setSecrets] = useState<FieldTexts>({});
  const [hosts, setHosts] = useState('');
  const spec = kinds.find((k) => k.kind === kind);
  const configSchema = (spec?.config ?? {}) as JsonSchema;
  const secretSchema = (spec?.secrets ?? {}) as JsonSchema;
  const c = valuesOf(configSchema, config);
  const s = valuesOf(secretSchema, secrets);
  const bad = [...c.bad, ...s.bad];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!spec) return;
    const allowedHosts = hosts
      .split(/[\s,]+/)
      .map((h) => h.trim())
      .filter(Boolean);
    create.mutate(
      {
        name: name.trim(),
        kind: spec.kind,
        config: c.values,
        secrets: s.values,
        ...(allowedHosts.length ? { allowedHosts } : {}),
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form onSubmit={submit} data-testid="connector-form">
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <Select
            label={t('connectors.kind')}
            required
            data={kinds.map((k) => ({ value: k.kind, label: pick(k.title, i18n.language, k.kind) }))}
            value={kind}
            onChange={(v) => {
              setKind(v);
              setConfig({});
              setSecrets({});
            }}
            data-testid="connector-kind"
          />
          <TextInput
            label={t('connectors.name')}
            description={t('connectors.nameHint')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(create.error, 'name')}
            data-testid="connector-name"
          />
        </SimpleGrid>
        {spec && (
          <>
            <Title order={5}>{t('connectors.config')}</Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <SchemaFields
                schema={configSchema}
                prefix="config"
                secret={false}
                texts={config}
                onChange={(k, v) => setConfig((o) => ({ ...o, [k]: v }))}
                error={create.error}
                jsonHint={t('connectors.jsonHint')}
              />
            </SimpleGrid>
            <Title order={5}>{t('connectors.secrets')}</Title>
            <Text size="xs" c="dimmed">
              {t('connectors.secretsHint')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <SchemaFields
                schema={secretSchema}
                prefix="secrets"
                secret
                texts={secrets}
                onChange={(k, v) => setSecrets((o) => ({ ...o, [k]: v }))}
                error={create.error}
                jsonHint={t('connectors.jsonHint')}
              />
            </SimpleGrid>
            <Textarea
              label={t('connectors.allowedHosts')}
              description={t('connectors.allowedHostsHint')}
              autosize
              minRows={1}
              value={hosts}
              onChange={(e) => setHosts(e.currentTarget.value)}
              error={fieldError(create.error, 'allowedHosts')}
              data-testid="connector-hosts"
            />
          </>
        )}
        {bad.length > 0 && (
          <Text size="sm" c="red">
            {t('connectors.badJson', { fields: bad.join(', ') })}
          </Text>
        )}
        <ProblemAlert error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" size="xs" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            size="xs"
            disabled={!spec || !name.trim() || bad.length > 0}
            loading={create.isPending}
            data-testid="connector-submit"
          >
            {t('connectors.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
