/** The modal to add or change a risk, with its history below when it exists. */
import { useState } from 'react';
import {
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RISK_CATEGORIES, RISK_STATUSES, riskLevel } from '../../../shared/risk-schemas.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { formatDateTime } from '../../ui/time.js';
import { useUsers } from '../users/users-api.js';
import { type RiskDetail, type RiskIn, useRisk, useSaveRisk } from './risk-api.js';

const rating = (v: string | number) => (typeof v === 'number' && v >= 1 && v <= 5 ? v : null);

export function RiskModal({ id, canManage, onClose }: { id: string | null; canManage: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const existing = useRisk(id);
  if (id && !existing.data) return null;
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={id ? `${existing.data!.key} ${existing.data!.title}` : t('risk.new')}
    >
      <RiskForm risk={existing.data ?? null} canManage={canManage} onClose={onClose} />
      {existing.data && <RiskHistory risk={existing.data} />}
    </Modal>
  );
}

function RiskForm({ risk, canManage, onClose }: { risk: RiskDetail | null; canManage: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const users = useUsers();
  const save = useSaveRisk();
  const [v, setV] = useState<RiskIn>(() => ({
    title: risk?.title ?? '',
    description: risk?.description ?? '',
    category: risk?.category ?? 'cyber',
    likelihood: risk?.likelihood ?? 3,
    impact: risk?.impact ?? 3,
    ownerId: risk?.owner?.id ?? null,
    status: risk?.status ?? 'open',
    reviewOn: risk?.reviewOn ?? null,
    incidentKeys: risk?.incidentKeys ?? [],
    vulnerabilityIds: risk?.vulnerabilityIds ?? [],
    residualLikelihood: risk?.residualLikelihood ?? null,
    residualImpact: risk?.residualImpact ?? null,
  }));
  const set = (patch: RiskIn) => setV((x) => ({ ...x, ...patch }));
  const score = (v.likelihood ?? 0) * (v.impact ?? 0);
  const err = (path: string) => fieldError(save.error, `body.${path}`);
  const submit = () =>
    save.mutate({ id: risk?.id ?? null, version: risk?.version, body: v }, { onSuccess: () => onClose() });
  return (
    <Stack gap="sm">
      <TextInput
        label={t('risk.title')}
        required
        value={v.title}
        onChange={(e) => set({ title: e.currentTarget.value })}
        error={err('title')}
        disabled={!canManage}
        data-testid="risk-title"
      />
      <Textarea
        label={t('risk.description')}
        autosize
        minRows={2}
        value={v.description}
        onChange={(e) => set({ description: e.currentTarget.value })}
        disabled={!canManage}
      />
      <Group grow>
        <Select
          label={t('risk.category')}
          data={RISK_CATEGORIES.map((c) => ({ value: c, label: t(`risk.categories.${c}`) }))}
          value={v.category}
          onChange={(c) => c && set({ category: c as RiskIn['category'] })}
          disabled={!canManage}
          allowDeselect={false}
        />
        <Select
          label={t('risk.status')}
          data={RISK_STATUSES.map((s) => ({ value: s, label: t(`risk.statuses.${s}`) }))}
          value={v.status}
          onChange={(s) => s && set({ status: s as RiskIn['status'] })}
          disabled={!canManage}
          allowDeselect={false}
        />
        <Select
          label={t('risk.owner')}
          data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={v.ownerId ?? null}
          onChange={(o) => set({ ownerId: o })}
          searchable
          clearable
          disabled={!canManage}
        />
      </Group>
      <Group grow align="flex-start">
        <NumberInput
          label={t('risk.likelihood')}
          min={1}
          max={5}
          value={v.likelihood}
          onChange={(x) => set({ likelihood: rating(x) ?? undefined })}
          disabled={!canManage}
          data-testid="risk-likelihood"
        />
        <NumberInput
          label={t('risk.impact')}
          min={1}
          max={5}
          value={v.impact}
          onChange={(x) => set({ impact: rating(x) ?? undefined })}
          disabled={!canManage}
          data-testid="risk-impact"
        />
        <TextInput
          label={t('risk.score')}
          value={score ? `${score} · ${t(`risk.levels.${riskLevel(score)}`)}` : ''}
          readOnly
        />
      </Group>
      <Group grow align="flex-start">
        <NumberInput
          label={t('risk.residualLikelihood')}
          min={1}
          max={5}
          value={v.residualLikelihood ?? ''}
          onChange={(x) => set({ residualLikelihood: rating(x) })}
          disabled={!canManage}
          error={err('residualImpact')}
        />
        <NumberInput
          label={t('risk.residualImpact')}
          min={1}
          max={5}
          value={v.residualImpact ?? ''}
          onChange={(x) => set({ residualImpact: rating(x) })}
          disabled={!canManage}
        />
        <TextInput
          label={t('risk.reviewOn')}
          type="date"
          value={v.reviewOn ?? ''}
          onChange={(e) => set({ reviewOn: e.currentTarget.value || null })}
          disabled={!canManage}
        />
      </Group>
      <TagsInput
        label={t('risk.incidents')}
        description={t('risk.incidentsHint')}
        value={v.incidentKeys}
        onChange={(keys) => set({ incidentKeys: keys.map((k) => k.trim().toUpperCase()) })}
        error={fieldError(save.error, ...(v.incidentKeys ?? []).map((_, i) => `body.incidentKeys.${i}`))}
        disabled={!canManage}
      />
      <TagsInput
        label={t('risk.vulnerabilities')}
        description={t('risk.vulnerabilitiesHint')}
        value={v.vulnerabilityIds}
        onChange={(ids) => set({ vulnerabilityIds: ids })}
        disabled={!canManage}
      />
      {save.error && <ProblemAlert error={save.error} />}
      {canManage && (
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending} disabled={!v.title?.trim()} data-testid="risk-save">
            {t('risk.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function RiskHistory({ risk }: { risk: RiskDetail }) {
  const { t, i18n } = useTranslation();
  const show = (x: unknown) =>
    x === null || x === undefined || (Array.isArray(x) && x.length === 0)
      ? '—'
      : Array.isArray(x)
        ? x.join(', ')
        : String(x);
  return (
    <Stack gap={4} mt="lg">
      <Text fw={600}>{t('risk.history')}</Text>
      <Table fz="sm" data-testid="risk-history">
        <Table.Tbody>
          {[...risk.history].reverse().map((h) => (
            <Table.Tr key={h.at + h.by.label}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(h.at, i18n.language)}</Table.Td>
              <Table.Td>{h.by.label}</Table.Td>
              <Table.Td>
                {Object.entries(h.changes)
                  .map(([field, [from, to]]) => `${t(`risk.fields.${field as 'title'}`)}: ${show(from)} → ${show(to)}`)
                  .join('; ')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
