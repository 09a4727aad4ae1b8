/** The session policy on the settings page (administrators): timeouts, one session or many, allow-lists, token lifetime. */
import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionPolicy, SessionPolicyView } from '../../../shared/session-policy-schemas.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { useSaveSessionPolicy, useSessionPolicy } from './session-policy-api.js';

/** A list as the text area shows it (one entry a line) and back (blank lines dropped). */
const toText = (list: string[]) => list.join('\n');
const toList = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
const num = (v: string | number) => (v === '' ? null : Number(v));

interface Form {
  idleTimeoutMinutes: number | null;
  absoluteTimeoutHours: number | null;
  singleSession: boolean;
  consoleAllowList: string;
  tokenAllowList: string;
  tokenMaxLifetimeDays: number | null;
}
const formOf = (p: SessionPolicy): Form => ({
  ...p,
  consoleAllowList: toText(p.consoleAllowList),
  tokenAllowList: toText(p.tokenAllowList),
});

function PolicyForm({ view }: { view: SessionPolicyView }) {
  const { t, i18n } = useTranslation();
  const save = useSaveSessionPolicy();
  const [form, setForm] = useState<Form>(formOf(view.policy));
  useEffect(() => setForm(formOf(view.policy)), [view]);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  // An entry-level error names its index (consoleAllowList.2): shown under the list.
  const listError = (key: string) =>
    fieldError(save.error, key, ...Array.from({ length: 200 }, (_, i) => `${key}.${i}`));
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <NumberInput
          label={t('sessionPolicy.idle')}
          description={t('sessionPolicy.idleHint')}
          min={5}
          value={form.idleTimeoutMinutes ?? ''}
          onChange={(v) => set('idleTimeoutMinutes', num(v))}
          error={fieldError(save.error, 'idleTimeoutMinutes')}
          data-testid="session-policy-idle"
        />
        <NumberInput
          label={t('sessionPolicy.absolute')}
          description={t('sessionPolicy.absoluteHint', { hours: view.configuredSessionHours })}
          min={1}
          value={form.absoluteTimeoutHours ?? ''}
          onChange={(v) => set('absoluteTimeoutHours', num(v))}
          error={fieldError(save.error, 'absoluteTimeoutHours')}
          data-testid="session-policy-absolute"
        />
        <NumberInput
          label={t('sessionPolicy.tokenMax')}
          description={t('sessionPolicy.tokenMaxHint')}
          min={1}
          value={form.tokenMaxLifetimeDays ?? ''}
          onChange={(v) => set('tokenMaxLifetimeDays', num(v))}
          error={fieldError(save.error, 'tokenMaxLifetimeDays')}
          data-testid="session-policy-token-max"
        />
      </SimpleGrid>
      <Switch
        label={t('sessionPolicy.single')}
        description={t('sessionPolicy.singleHint')}
        checked={form.singleSession}
        onChange={(e) => set('singleSession', e.currentTarget.checked)}
        data-testid="session-policy-single"
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Textarea
          label={t('sessionPolicy.consoleList')}
          description={t('sessionPolicy.listHint')}
          autosize
          minRows={3}
          value={form.consoleAllowList}
          onChange={(e) => set('consoleAllowList', e.currentTarget.value)}
          error={listError('consoleAllowList')}
          styles={{ input: { fontFamily: 'monospace' } }}
          data-testid="session-policy-console-list"
        />
        <Textarea
          label={t('sessionPolicy.tokenList')}
          description={t('sessionPolicy.listHint')}
          autosize
          minRows={3}
          value={form.tokenAllowList}
          onChange={(e) => set('tokenAllowList', e.currentTarget.value)}
          error={listError('tokenAllowList')}
          styles={{ input: { fontFamily: 'monospace' } }}
          data-testid="session-policy-token-list"
        />
      </SimpleGrid>
      <Text size="sm" c="dimmed" data-testid="session-policy-address">
        {t('sessionPolicy.yourAddress', { address: view.yourAddress })}
      </Text>
      {save.error && <ProblemAlert error={save.error} />}
      {save.isSuccess && !save.error && (
        <Alert color="teal" variant="light" data-testid="session-policy-saved">
          {t('sessionPolicy.saved')}
        </Alert>
      )}
      <Group gap="sm">
        <Button
          loading={save.isPending}
          onClick={() =>
            save.mutate({
              ...form,
              consoleAllowList: toList(form.consoleAllowList),
              tokenAllowList: toList(form.tokenAllowList),
            })
          }
          data-testid="session-policy-save"
        >
          {t('sessionPolicy.save')}
        </Button>
        <Text size="sm" c="dimmed" data-testid="session-policy-updated">
          {view.updatedAt
            ? t('sessionPolicy.updated', { at: formatDateTime(view.updatedAt, i18n.language) })
            : t('sessionPolicy.never')}
        </Text>
      </Group>
    </Stack>
  );
}

export function SessionPolicyCard() {
  const { t } = useTranslation();
  const policy = useSessionPolicy(true);
  return (
    <Card withBorder radius="md" data-testid="session-policy-card">
      <Stack gap="sm">
        <Title order={4}>{t('sessionPolicy.title')}</Title>
        <Text size="sm" c="dimmed" maw={820}>
          {t('sessionPolicy.intro')}
        </Text>
        <QueryView query={policy} keepOnError>
          {(view) => <PolicyForm view={view} />}
        </QueryView>
      </Stack>
    </Card>
  );
}
