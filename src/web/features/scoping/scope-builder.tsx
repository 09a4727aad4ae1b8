/**
 * The query builder of an affected-customer set: the incident's alerts, activity (addresses, time
 * range, actions, outcomes), a pasted list, a segment (branches, tiers). Shows the definition JSON it
 * makes — the same the API takes — and evaluates it (a new set, or a new version of one).
 */
import { useState } from 'react';
import {
  Button,
  Checkbox,
  Code,
  Group,
  MultiSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ACTIVITY_ACTIONS, type ScopeSource } from '../../../shared/scoping-schemas.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { localInputToIso } from '../../ui/time.js';
import { type ScopeDefinition, useSaveSet } from './scoping-api.js';

const OUTCOMES = ['success', 'failure', 'rejected'] as const;
const words = (s: string) =>
  s
    .split(/[\s,;，；]+/)
    .map((w) => w.trim())
    .filter(Boolean);

function isoToLocalInput(iso: string | number | undefined): string {
  if (iso === undefined) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The builder's fields from a definition (refining a set starts from its current one). */
function fieldsOf(def: ScopeDefinition | null) {
  const find = <K extends ScopeSource['kind']>(k: K) =>
    def?.sources.find((s): s is Extract<ScopeSource, { kind: K }> => s.kind === k);
  const act = find('activity');
  const list = find('list');
  const seg = find('segment');
  return {
    alerts: !!find('incident-alerts'),
    ips: (act?.ips ?? []).join('\n'),
    from: isoToLocalInput(act?.from),
    to: isoToLocalInput(act?.to),
    actions: (act?.actions ?? []) as string[],
    outcomes: (act?.outcomes ?? []) as string[],
    customerNos: (list?.customerNos ?? []).join('\n'),
    accountNos: (list?.accountNos ?? []).join('\n'),
    branches: (seg?.branches ?? []).join(', '),
    tiers: (seg?.tiers ?? []).join(', '),
  };
}

export function ScopeBuilder({
  incidentKey,
  set,
  onDone,
}: {
  incidentKey: string;
  /** The set refined (a new version), or null for a new set. */
  set: { id: string; name: string; definition: ScopeDefinition } | null;
  onDone: (id: string) => void;
}) {
  const { t } = useTranslation();
  const save = useSaveSet(incidentKey);
  const [name, setName] = useState(set?.name ?? '');
  const [f, setF] = useState(() => fieldsOf(set?.definition ?? null));
  const put = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((x) => ({ ...x, [k]: v }));

  const sources: ScopeSource[] = [];
  if (f.alerts) sources.push({ kind: 'incident-alerts' });
  const ips = words(f.ips);
  if (ips.length || f.from || f.to) {
    const from = localInputToIso(f.from);
    const to = localInputToIso(f.to);
    sources.push({
      kind: 'activity',
      ...(ips.length ? { ips } : {}),
      ...(f.actions.length ? { actions: f.actions as (typeof ACTIVITY_ACTIONS)[number][] } : {}),
      ...(f.outcomes.length ? { outcomes: f.outcomes } : {}),
      from: from ?? '',
      to: to ?? '',
    });
  }
  const customerNos = words(f.customerNos);
  const accountNos = words(f.accountNos);
  if (customerNos.length || accountNos.length)
    sources.push({
      kind: 'list',
      ...(customerNos.length ? { customerNos } : {}),
      ...(accountNos.length ? { accountNos } : {}),
    });
  const branches = words(f.branches);
  const tiers = words(f.tiers);
  if (branches.length || tiers.length)
    sources.push({ kind: 'segment', ...(branches.length ? { branches } : {}), ...(tiers.length ? { tiers } : {}) });
  const definition: ScopeDefinition = { sources, combine: 'union' };

  return (
    <Stack gap="sm" data-testid="scope-builder">
      <TextInput
        label={t('scoping.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        data-testid="scope-name"
      />
      <Checkbox
        label={t('scoping.fromAlerts')}
        checked={f.alerts}
        onChange={(e) => put('alerts', e.currentTarget.checked)}
        data-testid="scope-alerts"
      />
      <Text fw={600} size="sm">
        {t('scoping.activity')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Textarea
          label={t('scoping.ips')}
          description={t('scoping.ipsHint')}
          autosize
          minRows={3}
          value={f.ips}
          onChange={(e) => put('ips', e.currentTarget.value)}
          data-testid="scope-ips"
        />
        <Stack gap="xs">
          <TextInput
            type="datetime-local"
            label={t('scoping.from')}
            value={f.from}
            onChange={(e) => put('from', e.currentTarget.value)}
            data-testid="scope-from"
          />
          <TextInput
            type="datetime-local"
            label={t('scoping.to')}
            value={f.to}
            onChange={(e) => put('to', e.currentTarget.value)}
            data-testid="scope-to"
          />
        </Stack>
        <MultiSelect
          label={t('scoping.actions')}
          data={ACTIVITY_ACTIONS.map((a) => ({ value: a, label: t(`scoping.action.${a}`) }))}
          value={f.actions}
          onChange={(v) => put('actions', v)}
          comboboxProps={{ withinPortal: false }}
          data-testid="scope-actions"
        />
        <MultiSelect
          label={t('scoping.outcomes')}
          data={OUTCOMES.map((o) => ({ value: o, label: t(`scoping.outcome.${o}`) }))}
          value={f.outcomes}
          onChange={(v) => put('outcomes', v)}
          comboboxProps={{ withinPortal: false }}
          data-testid="scope-outcomes"
        />
      </SimpleGrid>
      <Text fw={600} size="sm">
        {t('scoping.list')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Textarea
          label={t('scoping.customerNos')}
          autosize
          minRows={2}
          value={f.customerNos}
          onChange={(e) => put('customerNos', e.currentTarget.value)}
          data-testid="scope-customers"
        />
        <Textarea
          label={t('scoping.accountNos')}
          autosize
          minRows={2}
          value={f.accountNos}
          onChange={(e) => put('accountNos', e.currentTarget.value)}
          data-testid="scope-accounts"
        />
        <TextInput
          label={t('scoping.branches')}
          value={f.branches}
          onChange={(e) => put('branches', e.currentTarget.value)}
          data-testid="scope-branches"
        />
        <TextInput
          label={t('scoping.tiers')}
          value={f.tiers}
          onChange={(e) => put('tiers', e.currentTarget.value)}
          data-testid="scope-tiers"
        />
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {t('scoping.json')}
      </Text>
      <Code block data-testid="scope-json">
        {JSON.stringify(definition, null, 2)}
      </Code>
      <ProblemAlert error={save.error} />
      <Group justify="flex-end">
        <Button
          disabled={!name.trim() || sources.length === 0}
          loading={save.isPending}
          onClick={() =>
            save.mutate({ id: set?.id ?? null, name: name.trim(), definition }, { onSuccess: (r) => onDone(r.id) })
          }
          data-testid="scope-evaluate"
        >
          {set ? t('scoping.saveVersion') : t('scoping.evaluate')}
        </Button>
      </Group>
    </Stack>
  );
}
