/** The fields of an incident (declare and edit): title, summary, category, grade, services, tags, impact. */
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  Checkbox,
  Fieldset,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Category, Grade } from '../../../shared/enums.js';
import type { Impact, Incident } from '../../app/types.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { fromMinorUnits, toMinorUnits } from '../../ui/time.js';
import { useServiceOptions } from '../services/services-api.js';

type Num = number | string;
const toCount = (v: Num): number | null => (v === '' || v === undefined ? null : Math.max(0, Math.trunc(Number(v))));

export interface IncidentFormValues {
  title: string;
  summary: string;
  category: Category;
  grade: Grade;
  services: string[];
  tags: string[];
  restricted: boolean;
  impact: Impact;
  /** Declaring only: a drill (plans run, actions only record what they would send). */
  drill?: boolean;
}

interface Props {
  initial?: Incident;
  error: unknown;
  /** Prefix of the fields' data-testid attributes. */
  testIds: string;
  onSubmit: (values: IncidentFormValues) => void;
  /** The submit and cancel buttons. */
  actions: ReactNode;
  /** Need-to-know may be changed only by the incident's commander or an administrator (the server checks). */
  restrictedLocked?: boolean;
}

export function IncidentForm({ initial, error, testIds, onSubmit, actions, restrictedLocked = false }: Props) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const serviceOptions = useServiceOptions();
  const imp = initial?.impact;

  const [title, setTitle] = useState(initial?.title ?? '');
  const [summary, setSummary] = useState(initial?.summary ?? '');
  const [category, setCategory] = useState<string | null>(initial?.category ?? null);
  const [grade, setGrade] = useState<string | null>(initial?.grade ?? 'IV');
  const [serviceKeys, setServiceKeys] = useState<string[]>(initial?.services.map((s) => s.key) ?? []);
  const [tags, setTags] = useState<string[]>(initial?.tags ?? []);
  const [restricted, setRestricted] = useState(initial?.restricted ?? false);
  const [drill, setDrill] = useState(false);
  const [customers, setCustomers] = useState<Num>(imp?.customersAffected ?? '');
  const [funds, setFunds] = useState<Num>(
    imp?.fundsAtRisk ? fromMinorUnits(imp.fundsAtRisk.amountMinor, imp.fundsAtRisk.currency) : '',
  );
  const [currency, setCurrency] = useState(imp?.fundsAtRisk?.currency ?? 'CNY');
  const [records, setRecords] = useState<Num>(imp?.recordsExposed ?? '');
  const [trading, setTrading] = useState(imp?.tradingInterrupted ?? false);
  const [local, setLocal] = useState<Record<string, string>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!title.trim()) errs.title = t('form.required');
    if (!category) errs.category = t('form.required');
    if (!grade) errs.grade = t('form.required');
    if (!/^[A-Z]{3}$/.test(currency)) errs.currency = t('form.currency');
    const amountMinor = funds === '' ? null : toMinorUnits(funds, currency);
    if (funds !== '' && amountMinor === null) errs.funds = t('form.amount');
    setLocal(errs);
    if (Object.keys(errs).length > 0) return;
    onSubmit({
      title: title.trim(),
      summary,
      category: category as Category,
      grade: grade as Grade,
      services: serviceKeys,
      tags,
      restricted,
      impact: {
        customersAffected: toCount(customers),
        fundsAtRisk: amountMinor === null ? null : { amountMinor, currency },
        recordsExposed: toCount(records),
        tradingInterrupted: trading,
      },
      ...(initial ? {} : { drill }),
    });
  };

  const err = (localMessage: string | undefined, ...paths: string[]) => localMessage ?? fieldError(error, ...paths);

  return (
    <form onSubmit={submit} data-testid={`${testIds}-form`} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('incident.title')}
          required
          data-autofocus
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={err(local.title, 'title')}
          data-testid={`${testIds}-title`}
        />
        <Textarea
          label={t('incident.summary')}
          autosize
          minRows={2}
          maxRows={8}
          value={summary}
          onChange={(e) => setSummary(e.currentTarget.value)}
          error={err(undefined, 'summary')}
          data-testid={`${testIds}-summary`}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label={t('incident.category')}
            required
            data={options.categories}
            value={category}
            onChange={setCategory}
            error={err(local.category, 'category')}
            data-testid={`${testIds}-category`}
          />
          <Select
            label={t('incident.grade')}
            required
            data={options.grades}
            value={grade}
            onChange={setGrade}
            error={err(local.grade, 'grade')}
            data-testid={`${testIds}-grade`}
          />
        </SimpleGrid>
        <MultiSelect
          label={t('incident.services')}
          searchable
          data={serviceOptions}
          value={serviceKeys}
          onChange={setServiceKeys}
          error={err(undefined, 'services')}
          data-testid={`${testIds}-services`}
        />
        <TagsInput
          label={t('incident.tags')}
          description={t('declare.tagsHint')}
          value={tags}
          onChange={setTags}
          error={err(undefined, 'tags')}
          data-testid={`${testIds}-tags`}
        />
        <Fieldset legend={t('incident.impact')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <NumberInput
              label={t('impact.customersAffected')}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              value={customers}
              onChange={setCustomers}
              data-testid={`${testIds}-customers`}
            />
            <NumberInput
              label={t('impact.recordsExposed')}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              value={records}
              onChange={setRecords}
              data-testid={`${testIds}-records`}
            />
            <NumberInput
              label={t('impact.fundsAtRisk')}
              description={t('declare.fundsHint')}
              min={0}
              decimalScale={2}
              allowNegative={false}
              thousandSeparator=","
              value={funds}
              onChange={setFunds}
              error={err(local.funds, 'impact.fundsAtRisk.amountMinor', 'impact.fundsAtRisk')}
              data-testid={`${testIds}-funds`}
            />
            <TextInput
              label={t('impact.currency')}
              maxLength={3}
              value={currency}
              onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
              error={err(local.currency, 'impact.fundsAtRisk.currency')}
              data-testid={`${testIds}-currency`}
            />
          </SimpleGrid>
          <Checkbox
            mt="sm"
            label={t('impact.tradingInterrupted')}
            checked={trading}
            onChange={(e) => setTrading(e.currentTarget.checked)}
            data-testid={`${testIds}-trading`}
          />
        </Fieldset>
        <Checkbox
          label={t('declare.restricted')}
          description={restrictedLocked ? t('declare.restrictedLocked') : t('declare.restrictedHint')}
          disabled={restrictedLocked}
          checked={restricted}
          onChange={(e) => setRestricted(e.currentTarget.checked)}
          data-testid={`${testIds}-restricted`}
        />
        {!initial && (
          <Checkbox
            label={t('declare.drill')}
            description={t('declare.drillHint')}
            checked={drill}
            onChange={(e) => setDrill(e.currentTarget.checked)}
            data-testid={`${testIds}-drill`}
          />
        )}
        <ProblemAlert error={error} />
        {actions}
      </Stack>
    </form>
  );
}
