/** Forms to add a suppression and to plan a maintenance window. */
import { useState, type FormEvent } from 'react';
import { Button, Grid, Group, MultiSelect, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ENTITY_KINDS, type EntityKind } from '../../../shared/enums.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { localInputToIso } from '../../ui/time.js';
import { RuleMultiPicker, RulePicker } from '../rules/rule-picker.js';
import { useServiceOptions } from '../services/services-api.js';
import { useCreateSuppression, useCreateWindow } from './alerts-api.js';

export function SuppressionForm() {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const create = useCreateSuppression();
  const [ruleId, setRuleId] = useState<string | null>(null);
  const [kind, setKind] = useState<string | null>(null);
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        ruleId: ruleId ?? undefined,
        entity: kind && value.trim() ? { kind: kind as EntityKind, value: value.trim() } : undefined,
        reason: reason.trim(),
        expiresAt: localInputToIso(expires),
      },
      {
        onSuccess: () => {
          setRuleId(null);
          setValue('');
          setReason('');
          setExpires('');
        },
      },
    );
  };

  return (
    <form onSubmit={submit} data-testid="suppression-form">
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <RulePicker
            label={t('suppressions.rule')}
            placeholder={t('suppressions.rulePick')}
            value={ruleId}
            onChange={setRuleId}
            error={fieldError(create.error, 'ruleId')}
            testId="suppression-rule"
          />
          <Select
            label={t('suppressions.entityKind')}
            placeholder={t('suppressions.anyEntity')}
            clearable
            data={options.entityKinds}
            value={kind}
            onChange={setKind}
            data-testid="suppression-kind"
          />
          <TextInput
            label={t('suppressions.entityValue')}
            disabled={!kind}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            error={fieldError(create.error, 'entity', 'entity.value')}
            data-testid="suppression-value"
          />
        </SimpleGrid>
        <Grid gutter="xs">
          <Grid.Col span={{ base: 12, sm: 8 }}>
            <TextInput
              label={t('suppressions.reason')}
              required
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={fieldError(create.error, 'reason')}
              data-testid="suppression-reason"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <TextInput
              type="datetime-local"
              label={t('suppressions.expires')}
              value={expires}
              onChange={(e) => setExpires(e.currentTarget.value)}
              error={fieldError(create.error, 'expiresAt')}
              data-testid="suppression-expires"
            />
          </Grid.Col>
        </Grid>
        <ProblemAlert error={create.error} />
        <Group justify="flex-end">
          <Button
            type="submit"
            size="xs"
            disabled={!reason.trim()}
            loading={create.isPending}
            data-testid="suppression-submit"
          >
            {t('suppressions.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "account:alice" lines to entities; null when a line is not kind:value. */
function parseEntities(text: string): { kind: EntityKind; value: string }[] | null {
  const out: { kind: EntityKind; value: string }[] = [];
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const i = line.indexOf(':');
    const kind = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (i < 0 || !(ENTITY_KINDS as readonly string[]).includes(kind) || !value) return null;
    out.push({ kind: kind as EntityKind, value });
  }
  return out;
}

export function WindowForm() {
  const { t } = useTranslation();
  const serviceOptions = useServiceOptions();
  const create = useCreateWindow();
  const [chosen, setChosen] = useState<string[]>([]);
  const [rules, setRules] = useState<string[]>([]);
  const [entityText, setEntityText] = useState('');
  const [starts, setStarts] = useState('');
  const [ends, setEnds] = useState('');
  const [reason, setReason] = useState('');
  const entities = parseEntities(entityText);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const startsAt = localInputToIso(starts);
    const endsAt = localInputToIso(ends);
    if (!entities || !startsAt || !endsAt) return;
    create.mutate(
      { services: chosen, ruleIds: rules, entities, startsAt, endsAt, reason: reason.trim() },
      {
        onSuccess: () => {
          setChosen([]);
          setRules([]);
          setEntityText('');
          setReason('');
        },
      },
    );
  };

  return (
    <form onSubmit={submit} data-testid="window-form">
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <MultiSelect
            label={t('suppressions.window.services')}
            searchable
            data={serviceOptions}
            value={chosen}
            onChange={setChosen}
            error={fieldError(create.error, 'services')}
            data-testid="window-services"
          />
          <RuleMultiPicker
            label={t('suppressions.window.rules')}
            description={t('suppressions.window.rulesHint')}
            value={rules}
            onChange={setRules}
            error={fieldError(create.error, 'ruleIds')}
            testId="window-rules"
          />
        </SimpleGrid>
        <Textarea
          label={t('suppressions.window.entities')}
          description={t('suppressions.window.entitiesHint')}
          autosize
          minRows={1}
          value={entityText}
          onChange={(e) => setEntityText(e.currentTarget.value)}
          error={entities === null ? t('suppressions.window.badEntity') : fieldError(create.error, 'entities')}
          data-testid="window-entities"
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <TextInput
            type="datetime-local"
            label={t('suppressions.window.starts')}
            required
            value={starts}
            onChange={(e) => setStarts(e.currentTarget.value)}
            error={fieldError(create.error, 'startsAt')}
            data-testid="window-starts"
          />
          <TextInput
            type="datetime-local"
            label={t('suppressions.window.ends')}
            required
            value={ends}
            onChange={(e) => setEnds(e.currentTarget.value)}
            error={fieldError(create.error, 'endsAt')}
            data-testid="window-ends"
          />
          <TextInput
            label={t('suppressions.reason')}
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={fieldError(create.error, 'reason')}
            data-testid="window-reason"
          />
        </SimpleGrid>
        <ProblemAlert error={create.error} />
        <Group justify="flex-end">
          <Button
            type="submit"
            size="xs"
            disabled={!reason.trim() || !starts || !ends || entities === null}
            loading={create.isPending}
            data-testid="window-submit"
          >
            {t('suppressions.window.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
