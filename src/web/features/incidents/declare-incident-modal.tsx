/** Declare an incident: the facts known now; opens the new incident's war room on success. */
import { useState, type FormEvent } from 'react';
import {
  Button, Checkbox, Fieldset, Group, Modal, MultiSelect, NumberInput, Select, SimpleGrid, Stack, TagsInput, Textarea,
  TextInput,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Category, Grade } from '../../../shared/enums.js';
import { useEnumOptions, useServiceName } from '../../ui/enum-options.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { toMinorUnits } from '../../ui/time.js';
import { useDeclareIncident, useServices } from './incidents-api.js';

type Num = number | string;
const toCount = (v: Num): number | null => (v === '' || v === undefined ? null : Math.max(0, Math.trunc(Number(v))));

export function DeclareIncidentModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  // The form lives inside the modal so it starts empty every time the modal opens.
  return (
    <Modal opened={opened} onClose={onClose} title={t('declare.title')} size="lg" fullScreen={phone}>
      <DeclareIncidentForm onClose={onClose} />
    </Modal>
  );
}

function DeclareIncidentForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const serviceName = useServiceName();
  const services = useServices();
  const navigate = useNavigate();
  const declare = useDeclareIncident();

  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const [grade, setGrade] = useState<string | null>('IV');
  const [serviceKeys, setServiceKeys] = useState<string[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  const [restricted, setRestricted] = useState(false);
  const [customers, setCustomers] = useState<Num>('');
  const [funds, setFunds] = useState<Num>('');
  const [currency, setCurrency] = useState('CNY');
  const [records, setRecords] = useState<Num>('');
  const [trading, setTrading] = useState(false);
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
    declare.mutate(
      {
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
      },
      {
        onSuccess: (incident) => {
          onClose();
          navigate(`/incidents/${encodeURIComponent(incident.key)}`);
        },
      },
    );
  };

  const err = (local: string | undefined, ...paths: string[]) => local ?? fieldError(declare.error, ...paths);

  return (
    <form onSubmit={submit} data-testid="declare-form" noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('incident.title')}
          required
          data-autofocus
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={err(local.title, 'title')}
          data-testid="declare-title"
        />
        <Textarea
          label={t('incident.summary')}
          autosize
          minRows={2}
          maxRows={8}
          value={summary}
          onChange={(e) => setSummary(e.currentTarget.value)}
          error={err(undefined, 'summary')}
          data-testid="declare-summary"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label={t('incident.category')}
            required
            data={options.categories}
            value={category}
            onChange={setCategory}
            error={err(local.category, 'category')}
            data-testid="declare-category"
          />
          <Select
            label={t('incident.grade')}
            required
            data={options.grades}
            value={grade}
            onChange={setGrade}
            error={err(local.grade, 'grade')}
            data-testid="declare-grade"
          />
        </SimpleGrid>
        <MultiSelect
          label={t('incident.services')}
          searchable
          data={(services.data ?? []).map((s) => ({ value: s.key, label: serviceName(s) }))}
          value={serviceKeys}
          onChange={setServiceKeys}
          error={err(undefined, 'services')}
          data-testid="declare-services"
        />
        <TagsInput
          label={t('incident.tags')}
          description={t('declare.tagsHint')}
          value={tags}
          onChange={setTags}
          error={err(undefined, 'tags')}
          data-testid="declare-tags"
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
              data-testid="declare-customers"
            />
            <NumberInput
              label={t('impact.recordsExposed')}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              value={records}
              onChange={setRecords}
              data-testid="declare-records"
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
              data-testid="declare-funds"
            />
            <TextInput
              label={t('impact.currency')}
              maxLength={3}
              value={currency}
              onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
              error={err(local.currency, 'impact.fundsAtRisk.currency')}
              data-testid="declare-currency"
            />
          </SimpleGrid>
          <Checkbox
            mt="sm"
            label={t('impact.tradingInterrupted')}
            checked={trading}
            onChange={(e) => setTrading(e.currentTarget.checked)}
            data-testid="declare-trading"
          />
        </Fieldset>
        <Checkbox
          label={t('declare.restricted')}
          description={t('declare.restrictedHint')}
          checked={restricted}
          onChange={(e) => setRestricted(e.currentTarget.checked)}
          data-testid="declare-restricted"
        />
        <ProblemAlert error={declare.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={declare.isPending} data-testid="declare-submit">
            {t('declare.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
