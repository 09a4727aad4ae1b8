/**
 * A new campaign: the approved customer notice, a name, the audience (customer numbers pasted, a
 * segment of branches and tiers, or an affected-customer set), channels in order, quiet hours and the
 * SMS throttle. Created as a draft; launching is on the campaign's page.
 */
import { useState } from 'react';
import {
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { pickZhEn } from '../../ui/localized.js';
import { useApprovedNotices, useCreateCampaign } from './campaigns-api.js';

const list = (text: string) =>
  text
    .split(/[\s,，;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function NewCampaignModal({ incidentKey, onClose }: { incidentKey: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const notices = useApprovedNotices(incidentKey);
  const create = useCreateCampaign(incidentKey);
  const [statementId, setStatementId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'customers' | 'segment' | 'set'>('customers');
  const [customerNos, setCustomerNos] = useState('');
  const [branches, setBranches] = useState('');
  const [tiers, setTiers] = useState('');
  const [setId, setSetId] = useState('');
  const [channels, setChannels] = useState<string[]>(['sms', 'email']);
  const [quiet, setQuiet] = useState(true);
  const [urgent, setUrgent] = useState(false);
  const [smsRate, setSmsRate] = useState<number | string>(100);

  const audience =
    kind === 'customers'
      ? { kind, customerNos: list(customerNos) }
      : kind === 'segment'
        ? { kind, branches: list(branches), tiers: list(tiers) }
        : { kind, setId: setId.trim() };

  const submit = () =>
    create.mutate(
      {
        name,
        statementId: statementId ?? '',
        audience,
        channels: channels as ('sms' | 'email' | 'push')[],
        urgent,
        quietHours: quiet ? { start: '22:00', end: '08:00', timeZone: 'Asia/Shanghai' } : null,
        throttle: { sms: Number(smsRate) || 100, email: 50, push: 200 },
      },
      { onSuccess: (c) => void navigate(`/campaigns/${c.id}`) },
    );

  return (
    <Modal opened onClose={onClose} title={t('campaigns.new')} size="lg">
      <Stack gap="sm" data-testid="campaign-form">
        <Select
          label={t('campaigns.notice')}
          placeholder={t('campaigns.noticePick')}
          data={(notices.data ?? []).map((s) => ({ value: s.id, label: pickZhEn(s.version.title, i18n.language) }))}
          value={statementId}
          onChange={setStatementId}
          nothingFoundMessage={t('campaigns.noNotice')}
          data-testid="campaign-notice"
        />
        <TextInput
          label={t('campaigns.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-testid="campaign-name"
        />
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as typeof kind)}
          data={[
            { value: 'customers', label: t('campaigns.audienceCustomers') },
            { value: 'segment', label: t('campaigns.audienceSegment') },
            { value: 'set', label: t('campaigns.audienceSet') },
          ]}
          data-testid="campaign-audience-kind"
        />
        {kind === 'customers' && (
          <Textarea
            label={t('campaigns.customerNos')}
            description={t('campaigns.customerNosHint')}
            minRows={3}
            autosize
            value={customerNos}
            onChange={(e) => setCustomerNos(e.currentTarget.value)}
            data-testid="campaign-customer-nos"
          />
        )}
        {kind === 'segment' && (
          <Group grow>
            <TextInput
              label={t('campaigns.branches')}
              value={branches}
              onChange={(e) => setBranches(e.currentTarget.value)}
            />
            <TextInput label={t('campaigns.tiers')} value={tiers} onChange={(e) => setTiers(e.currentTarget.value)} />
          </Group>
        )}
        {kind === 'set' && (
          <TextInput label={t('campaigns.setId')} value={setId} onChange={(e) => setSetId(e.currentTarget.value)} />
        )}
        <MultiSelect
          label={t('campaigns.channels')}
          description={t('campaigns.channelsHint')}
          data={(['sms', 'email', 'push'] as const).map((c) => ({ value: c, label: t(`campaigns.channel.${c}`) }))}
          value={channels}
          onChange={setChannels}
          data-testid="campaign-channels"
        />
        <Group grow align="flex-end">
          <Switch
            label={t('campaigns.quietHours')}
            checked={quiet}
            onChange={(e) => setQuiet(e.currentTarget.checked)}
            data-testid="campaign-quiet"
          />
          <Switch label={t('campaigns.urgent')} checked={urgent} onChange={(e) => setUrgent(e.currentTarget.checked)} />
          <NumberInput label={t('campaigns.smsRate')} min={1} max={100000} value={smsRate} onChange={setSmsRate} />
        </Group>
        {create.error && <ProblemAlert error={create.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={create.isPending} data-testid="campaign-create">
            {t('campaigns.create')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
