/** The firm's regulatory profile in settings: read by staff, edited by administrators and compliance. */
import { useEffect, useState } from 'react';
import { Button, Card, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { JURISDICTIONS } from '../../../shared/obligation-schemas.js';
import { useCan } from '../../app/session.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { type FirmProfile, type FirmProfileView, useFirmProfile, useSaveFirmProfile } from './obligations-api.js';

const FLAGS = ['ciiOperator', 'usBrokerDealer', 'listedUs', 'doraEntity'] as const;
const triOf = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');
const fromTri = (v: string | null) => (v === 'yes' ? true : v === 'no' ? false : null);

function ProfileForm({ view }: { view: FirmProfileView }) {
  const { t } = useTranslation();
  const canEdit = useCan('firm.manage');
  const save = useSaveFirmProfile();
  const [form, setForm] = useState<FirmProfile>(view);
  useEffect(() => setForm(view), [view]);
  const tri = [
    { value: 'unknown', label: t('common.unknown') },
    { value: 'yes', label: t('common.yes') },
    { value: 'no', label: t('common.no') },
  ];
  const num = (v: string | number) => (v === '' ? null : Number(v));
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <MultiSelect
          label={t('obligations.firm.jurisdictions')}
          data={[...JURISDICTIONS]}
          value={form.jurisdictions}
          onChange={(v) => setForm((f) => ({ ...f, jurisdictions: v as FirmProfile['jurisdictions'] }))}
          disabled={!canEdit}
          error={fieldError(save.error, 'jurisdictions')}
          data-testid="firm-jurisdictions"
        />
        {FLAGS.map((k) => (
          <Select
            key={k}
            label={t(`obligations.firm.${k}`)}
            data={tri}
            value={triOf(form[k])}
            onChange={(v) => setForm((f) => ({ ...f, [k]: fromTri(v) }))}
            allowDeselect={false}
            disabled={!canEdit}
            data-testid={`firm-${k}`}
          />
        ))}
        <NumberInput
          label={t('obligations.firm.clientsTotal')}
          min={0}
          value={form.clientsTotal ?? ''}
          onChange={(v) => setForm((f) => ({ ...f, clientsTotal: num(v) }))}
          disabled={!canEdit}
          error={fieldError(save.error, 'clientsTotal')}
        />
        <NumberInput
          label={t('obligations.firm.csrcTargetMinutes')}
          min={1}
          max={1440}
          value={form.csrcTargetMinutes ?? ''}
          onChange={(v) => setForm((f) => ({ ...f, csrcTargetMinutes: num(v) }))}
          disabled={!canEdit}
          error={fieldError(save.error, 'csrcTargetMinutes')}
        />
      </SimpleGrid>
      {save.error && <ProblemAlert error={save.error} />}
      <Group gap="sm">
        {canEdit && (
          <Button
            loading={save.isPending}
            onClick={() => save.mutate({ ...form, version: view.version })}
            data-testid="firm-save"
          >
            {t('obligations.firm.save')}
          </Button>
        )}
        <Text size="sm" c="dimmed" data-testid="firm-version">
          {view.version ? t('obligations.firm.saved', { version: view.version }) : t('obligations.firm.notSaved')}
        </Text>
      </Group>
    </Stack>
  );
}

export function FirmProfileCard() {
  const { t } = useTranslation();
  const query = useFirmProfile(true);
  return (
    <Card withBorder radius="md" data-testid="firm-profile">
      <Stack gap="sm">
        <Title order={3}>{t('obligations.firm.title')}</Title>
        <Text size="sm" c="dimmed" maw={820}>
          {t('obligations.firm.intro')}
        </Text>
        <QueryView query={query}>{(view) => <ProfileForm view={view} />}</QueryView>
      </Stack>
    </Card>
  );
}
