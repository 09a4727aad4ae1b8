/**
 * One customer's case under the worklist: the quick contact form (a reached contact clears the SLA
 * badge), a promised callback with its time, notes, concerns and requests, and everything recorded.
 */
import { useState } from 'react';
import { Badge, Button, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CONTACT_CHANNELS, CONTACT_OUTCOMES, NOTE_KINDS } from '../../../shared/owner-schemas.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime, localInputToIso } from '../../ui/time.js';
import { type OwnerActivity, useItemStatus, useOwnerCase, useRecord } from './owners-api.js';

function ContactForm({ record }: { record: ReturnType<typeof useRecord> }) {
  const { t } = useTranslation();
  const [channel, setChannel] = useState<string>('call');
  const [outcome, setOutcome] = useState<string>('reached');
  const [note, setNote] = useState('');
  return (
    <Group align="flex-end" gap="xs" wrap="wrap" data-testid="owner-contact-form">
      <Select
        label={t('owners.channel')}
        data={CONTACT_CHANNELS.map((c) => ({ value: c, label: t(`owners.channels.${c}`) }))}
        value={channel}
        onChange={(v) => setChannel(v ?? 'call')}
        w={110}
        comboboxProps={{ withinPortal: false }}
        data-testid="owner-contact-channel"
      />
      <Select
        label={t('owners.outcome')}
        data={CONTACT_OUTCOMES.map((o) => ({ value: o, label: t(`owners.outcomes.${o}`) }))}
        value={outcome}
        onChange={(v) => setOutcome(v ?? 'reached')}
        w={140}
        comboboxProps={{ withinPortal: false }}
        data-testid="owner-contact-outcome"
      />
      <TextInput label={t('owners.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} flex={1} />
      <Button
        size="sm"
        loading={record.isPending}
        onClick={() =>
          record.mutate({ what: 'contacts', body: { channel, outcome, note } }, { onSuccess: () => setNote('') })
        }
        data-testid="owner-contact-log"
      >
        {t('owners.logContact')}
      </Button>
    </Group>
  );
}

function CallbackAndNoteForms({ record }: { record: ReturnType<typeof useRecord> }) {
  const { t } = useTranslation();
  const [at, setAt] = useState('');
  const [kind, setKind] = useState<string>('note');
  const [text, setText] = useState('');
  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput
          type="datetime-local"
          label={t('owners.callbackAt')}
          value={at}
          onChange={(e) => setAt(e.currentTarget.value)}
          data-testid="owner-callback-at"
        />
        <Button
          size="sm"
          variant="light"
          disabled={!at}
          onClick={() =>
            record.mutate({ what: 'callbacks', body: { at: localInputToIso(at) } }, { onSuccess: () => setAt('') })
          }
        >
          {t('owners.promiseCallback')}
        </Button>
      </Group>
      <Group align="flex-end" gap="xs" wrap="wrap">
        <Select
          label={t('owners.kind')}
          data={NOTE_KINDS.map((k) => ({ value: k, label: t(`owners.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => setKind(v ?? 'note')}
          w={120}
          comboboxProps={{ withinPortal: false }}
        />
        <Textarea
          label={t('owners.text')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={1}
          flex={1}
        />
        <Button
          size="sm"
          variant="light"
          disabled={!text.trim()}
          onClick={() => record.mutate({ what: 'notes', body: { kind, text } }, { onSuccess: () => setText('') })}
        >
          {t('owners.add')}
        </Button>
      </Group>
    </Stack>
  );
}

function ActivityLine({ a }: { a: OwnerActivity }) {
  const { t, i18n } = useTranslation();
  const status = useItemStatus();
  const what =
    a.kind === 'contact'
      ? `${t(`owners.channels.${a.channel ?? 'call'}`)} · ${t(`owners.outcomes.${a.outcome ?? 'reached'}`)}`
      : a.kind === 'callback'
        ? t('owners.callbackFor', { at: formatDateTime(a.dueAt, i18n.language) })
        : t(`owners.kinds.${a.kind}`);
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="owner-activity" data-kind={a.kind}>
      <Text size="xs" c="dimmed" w={130} style={{ flexShrink: 0 }}>
        {formatDateTime(a.createdAt, i18n.language)}
      </Text>
      <Text size="sm" flex={1}>
        <b>{what}</b>
        {a.text ? ` — ${a.text}` : ''}
      </Text>
      {a.status && (
        <Badge
          size="sm"
          color={a.status === 'done' ? 'green' : 'blue'}
          variant="light"
          style={{ cursor: 'pointer', flexShrink: 0 }}
          onClick={() => status.mutate({ id: a.id, status: a.status === 'done' ? 'open' : 'done' })}
        >
          {t(`owners.items.${a.status}`)}
        </Badge>
      )}
    </Group>
  );
}

export function OwnerCasePanel({ incidentKey, customerId }: { incidentKey: string; customerId: string }) {
  const owned = useOwnerCase(incidentKey, customerId);
  const record = useRecord(incidentKey, customerId);
  return (
    <Stack gap="sm" data-testid="owner-case">
      <ContactForm record={record} />
      <CallbackAndNoteForms record={record} />
      {record.error && <ProblemAlert error={record.error} />}
      <QueryView query={owned} compact keepOnError>
        {(c) => (
          <Stack gap={4}>
            {c.activities.map((a) => (
              <ActivityLine key={a.id} a={a} />
            ))}
          </Stack>
        )}
      </QueryView>
    </Stack>
  );
}
