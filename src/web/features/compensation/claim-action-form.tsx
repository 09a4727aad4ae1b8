/** The staff actions of a claim: a button per allowed action, each opening its small form (amount, reason, channel...). */
import { Button, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DECLINE_REASONS,
  MEDIATION_BODIES,
  MEDIATION_OUTCOMES,
  NEGOTIATION_CHANNELS,
} from '../../../shared/compensation.js';
import { useCan } from '../../app/session.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { fromMinorUnits, toMinorUnits } from '../../ui/time.js';
import { claimActions } from './claim-actions.js';
import { type ClaimAction, type ClaimDetail, useClaimAction } from './compensation-api.js';

/** Which fields each action's form asks for. */
const FIELDS: Record<ClaimAction, readonly string[]> = {
  assess: ['note'],
  offer: ['amount', 'reason', 'channel'],
  counter: ['amount', 'reason', 'channel'],
  accept: ['channel', 'note'],
  decline: ['by', 'declineReason', 'channel', 'note'],
  approve: [],
  mediation: ['body', 'caseRef', 'note'],
  outcome: ['outcome', 'amount', 'note'],
};

export function ClaimActions({ claim }: { claim: ClaimDetail }) {
  const { t } = useTranslation();
  const manage = useCan('compensation.manage');
  const approve = useCan('compensation.approve');
  const actions = claimActions(claim.status, { manage, approve });
  const [open, setOpen] = useState<ClaimAction | null>(null);
  if (actions.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="claim-actions">
      <Group gap="xs">
        {actions.map((a) => (
          <Button
            key={a}
            size="xs"
            variant={open === a ? 'filled' : 'light'}
            color={a === 'decline' ? 'red' : a === 'approve' ? 'green' : undefined}
            onClick={() => setOpen(open === a ? null : a)}
            data-testid={`claim-action-${a}`}
          >
            {t(`comp.action.${a}`)}
          </Button>
        ))}
      </Group>
      {open && <ActionForm key={open} claim={claim} action={open} onDone={() => setOpen(null)} />}
    </Stack>
  );
}

function ActionForm({ claim, action, onDone }: { claim: ClaimDetail; action: ClaimAction; onDone: () => void }) {
  const { t } = useTranslation();
  const mutation = useClaimAction(claim.id);
  const fields = FIELDS[action];
  const [v, setV] = useState<Record<string, string>>({
    amount: action === 'offer' ? fromMinorUnits(claim.amountMinor, claim.currency) : '',
    channel: action === 'counter' || action === 'accept' ? 'phone' : 'console',
    by: 'firm',
    declineReason: 'no_evidence',
    body: 'sac_mediation',
    outcome: 'settled',
  });
  const [amountError, setAmountError] = useState<string | null>(null);
  const set = (k: string) => (value: string | null) => setV((x) => ({ ...x, [k]: value ?? '' }));
  const input = (k: string) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(k)(e.target.value);
  const withAmount =
    fields.includes('amount') && (action !== 'outcome' || v.outcome === 'settled' || v.outcome === 'award');
  const opt = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

  function submit() {
    setAmountError(null);
    let amountMinor: number | undefined;
    if (withAmount) {
      const m = toMinorUnits(v.amount ?? '', claim.currency);
      if (m === null) return setAmountError(t('comp.action.badAmount'));
      amountMinor = m;
    }
    const body: Record<string, unknown> = {
      assess: { note: opt(v.note) },
      offer: { amountMinor, reason: v.reason ?? '', channel: v.channel },
      counter: { amountMinor, reason: v.reason ?? '', channel: v.channel },
      accept: { channel: v.channel, note: opt(v.note) },
      decline: { by: v.by, reason: v.declineReason, channel: v.channel, note: opt(v.note) },
      approve: {},
      mediation: { body: v.body, caseRef: opt(v.caseRef), note: opt(v.note) },
      outcome: { outcome: v.outcome, amountMinor, note: opt(v.note) },
    }[action];
    mutation.mutate({ action, body: body as Record<string, unknown> }, { onSuccess: onDone });
  }

  const err = (...paths: string[]) => fieldError(mutation.error, ...paths);
  return (
    <Stack
      gap="xs"
      p="sm"
      bg="var(--mantine-color-gray-light)"
      style={{ borderRadius: 8 }}
      data-testid="claim-action-form"
    >
      {action === 'approve' && (
        <Text size="sm">
          {t('comp.action.approveQuestion', {
            tier: t(`comp.tier.${claim.approval.tier as 'lead'}`, { defaultValue: claim.approval.tier }),
            given: claim.approval.given,
            needed: claim.approval.needed,
          })}
        </Text>
      )}
      {fields.includes('by') && (
        <Select
          label={t('comp.action.by')}
          data={(['firm', 'customer'] as const).map((b) => ({ value: b, label: t(`comp.declineBy.${b}`) }))}
          value={v.by ?? null}
          onChange={set('by')}
          allowDeselect={false}
        />
      )}
      {fields.includes('declineReason') && (
        <Select
          label={t('comp.action.declineReason')}
          data={DECLINE_REASONS.map((r) => ({ value: r, label: t(`comp.declineReason.${r}`) }))}
          value={v.declineReason ?? null}
          onChange={set('declineReason')}
          allowDeselect={false}
          data-testid="claim-decline-reason"
        />
      )}
      {fields.includes('body') && (
        <Select
          label={t('comp.action.mediationBody')}
          data={MEDIATION_BODIES.map((b) => ({ value: b, label: t(`comp.mediationBody.${b}`) }))}
          value={v.body ?? null}
          onChange={set('body')}
          allowDeselect={false}
        />
      )}
      {fields.includes('caseRef') && (
        <TextInput label={t('comp.action.caseRef')} value={v.caseRef ?? ''} onChange={input('caseRef')} />
      )}
      {fields.includes('outcome') && (
        <Select
          label={t('comp.action.outcomeLabel')}
          data={MEDIATION_OUTCOMES.map((o) => ({ value: o, label: t(`comp.mediationOutcome.${o}`) }))}
          value={v.outcome ?? null}
          onChange={set('outcome')}
          allowDeselect={false}
        />
      )}
      {withAmount && (
        <TextInput
          label={t('comp.action.amount', { currency: claim.currency })}
          inputMode="decimal"
          value={v.amount ?? ''}
          onChange={input('amount')}
          error={amountError ?? err('amountMinor')}
          data-testid="claim-action-amount"
        />
      )}
      {fields.includes('reason') && (
        <Textarea
          label={t('comp.action.reason')}
          value={v.reason ?? ''}
          onChange={input('reason')}
          autosize
          minRows={2}
          error={err('reason')}
          data-testid="claim-action-reason"
        />
      )}
      {fields.includes('channel') && (
        <Select
          label={t('comp.action.channel')}
          data={NEGOTIATION_CHANNELS.map((c) => ({ value: c, label: t(`comp.channel.${c}`) }))}
          value={v.channel ?? null}
          onChange={set('channel')}
          allowDeselect={false}
          data-testid="claim-action-channel"
        />
      )}
      {fields.includes('note') && (
        <Textarea label={t('comp.action.note')} value={v.note ?? ''} onChange={input('note')} autosize minRows={1} />
      )}
      <ProblemAlert error={mutation.error} />
      <Group justify="flex-end" gap="xs">
        <Button size="xs" variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button size="xs" onClick={submit} loading={mutation.isPending} data-testid="claim-action-submit">
          {t(`comp.action.${action}`)}
        </Button>
      </Group>
    </Stack>
  );
}
