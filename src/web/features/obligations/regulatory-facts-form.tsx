/** Compliance records the facts Tocsin cannot know; only the fields changed are sent (null clears one). */
import { useState } from 'react';
import { Button, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { JURISDICTIONS } from '../../../shared/obligation-schemas.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { localInputToIso } from '../../ui/time.js';
import { type IncidentObligations, type RegulatoryFactsPatch, usePatchFacts } from './obligations-api.js';

/** An ISO time as a datetime-local input's value in the browser's zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const triOf = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');
const fromTri = (v: string | null) => (v === 'yes' ? true : v === 'no' ? false : null);
const TIMES = ['awareAt', 'classifiedAt', 'materialityDeterminedAt'] as const;
const NUMBERS = ['personalInfoRecords', 'downtimeMinutes', 'economicImpactEur'] as const;
const FLAGS = ['sensitiveCustomerInfo', 'doraMajor'] as const;

export function RegulatoryFactsForm({
  incidentKey,
  data,
  onDone,
}: {
  incidentKey: string;
  data: IncidentObligations;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const patch = usePatchFacts(incidentKey);
  const f = data.facts;
  const [times, setTimes] = useState(() => Object.fromEntries(TIMES.map((k) => [k, toLocalInput(f[k])])));
  const [numbers, setNumbers] = useState(() => Object.fromEntries(NUMBERS.map((k) => [k, f[k] ?? ''])));
  const [flags, setFlags] = useState(() => Object.fromEntries(FLAGS.map((k) => [k, triOf(f[k])])));
  const [places, setPlaces] = useState<string[]>(f.jurisdictions ?? []);
  const tri = [
    { value: 'unknown', label: t('common.unknown') },
    { value: 'yes', label: t('common.yes') },
    { value: 'no', label: t('common.no') },
  ];

  const submit = () => {
    const body: Record<string, unknown> = {};
    for (const k of TIMES) {
      const v = times[k] ? (localInputToIso(times[k]!) ?? null) : null;
      if (v !== (f[k] ? new Date(f[k]!).toISOString() : null)) body[k] = v;
    }
    for (const k of NUMBERS) {
      const raw = numbers[k];
      const v = raw === '' || raw === undefined ? null : Number(raw);
      if (v !== f[k]) body[k] = v;
    }
    for (const k of FLAGS) {
      const v = fromTri(flags[k] ?? null);
      if (v !== f[k]) body[k] = v;
    }
    const j = places.length ? places : null;
    if (JSON.stringify(j) !== JSON.stringify(f.jurisdictions)) body.jurisdictions = j;
    patch.mutate(body as RegulatoryFactsPatch, { onSuccess: onDone });
  };

  return (
    <Stack gap="xs" data-testid="reg-facts-form">
      <Text size="xs" c="dimmed">
        {t('obligations.factsIntro')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        {TIMES.map((k) => (
          <TextInput
            key={k}
            type="datetime-local"
            size="xs"
            label={t(`obligations.fact.${k}`)}
            value={times[k]}
            onChange={(e) => setTimes((s) => ({ ...s, [k]: e.currentTarget.value }))}
            error={fieldError(patch.error, k)}
            data-testid={`reg-fact-${k}`}
          />
        ))}
        {NUMBERS.map((k) => (
          <NumberInput
            key={k}
            size="xs"
            min={0}
            label={t(`obligations.fact.${k}`)}
            value={numbers[k]}
            onChange={(v) => setNumbers((s) => ({ ...s, [k]: v }))}
            error={fieldError(patch.error, k)}
            data-testid={`reg-fact-${k}`}
          />
        ))}
        {FLAGS.map((k) => (
          <Select
            key={k}
            size="xs"
            label={t(`obligations.fact.${k}`)}
            data={tri}
            value={flags[k]}
            onChange={(v) => setFlags((s) => ({ ...s, [k]: v ?? 'unknown' }))}
            allowDeselect={false}
            data-testid={`reg-fact-${k}`}
          />
        ))}
        <MultiSelect
          size="xs"
          label={t('obligations.fact.jurisdictions')}
          placeholder={places.length ? undefined : t('obligations.allJurisdictions')}
          data={[...JURISDICTIONS]}
          value={places}
          onChange={setPlaces}
        />
      </SimpleGrid>
      {patch.error && <ProblemAlert error={patch.error} />}
      <Group gap="xs">
        <Button size="xs" loading={patch.isPending} onClick={submit} data-testid="reg-facts-save">
          {t('obligations.saveFacts')}
        </Button>
        <Button size="xs" variant="subtle" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
