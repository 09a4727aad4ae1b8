/** The requests register's forms: record a request received, and answer one with what was handed over. */
import { useState } from 'react';
import { Button, Group, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { REQUESTER_KINDS } from '../../../shared/investigation-schemas.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { type HandedOverIn, type InvestigationRequest, useAnswerRequest, useCreateRequest } from './requests-api.js';

/** `datetime-local` value -> ISO (the browser's time zone), '' -> null. */
const isoOf = (local: string): string | null => (local ? new Date(local).toISOString() : null);
const localNow = () => {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
};

export function NewRequestModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateRequest();
  const [kind, setKind] = useState<InvestigationRequest['requesterKind']>('police');
  const [name, setName] = useState('');
  const [reference, setReference] = useState('');
  const [incident, setIncident] = useState('');
  const [requested, setRequested] = useState('');
  const [received, setReceived] = useState(localNow());
  const [deadline, setDeadline] = useState('');
  return (
    <Modal opened onClose={onClose} title={t('investigation.requests.new')} size="lg">
      <Stack gap="sm">
        <Group grow>
          <Select
            label={t('investigation.requests.kind')}
            data={REQUESTER_KINDS.map((k) => ({ value: k, label: t(`investigation.requests.kinds.${k}`) }))}
            value={kind}
            onChange={(v) => v && setKind(v as typeof kind)}
            allowDeselect={false}
          />
          <TextInput
            label={t('investigation.requests.requester')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={200}
            required
            data-testid="request-name"
          />
        </Group>
        <Group grow>
          <TextInput
            label={t('investigation.requests.reference')}
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
            maxLength={200}
          />
          <TextInput
            label={t('investigation.requests.incident')}
            placeholder="INC-2026-0001"
            value={incident}
            onChange={(e) => setIncident(e.currentTarget.value.trim())}
            maxLength={40}
          />
        </Group>
        <Textarea
          label={t('investigation.requests.requested')}
          value={requested}
          onChange={(e) => setRequested(e.currentTarget.value)}
          autosize
          minRows={3}
          maxLength={10_000}
          required
          data-testid="request-requested"
        />
        <Group grow>
          <TextInput
            type="datetime-local"
            label={t('investigation.requests.received')}
            value={received}
            onChange={(e) => setReceived(e.currentTarget.value)}
            required
          />
          <TextInput
            type="datetime-local"
            label={t('investigation.requests.deadline')}
            value={deadline}
            onChange={(e) => setDeadline(e.currentTarget.value)}
            data-testid="request-deadline"
          />
        </Group>
        <ProblemAlert error={create.error} />
        <Group justify="flex-end">
          <Button
            disabled={!name.trim() || !requested.trim() || !received}
            loading={create.isPending}
            onClick={() =>
              create.mutate(
                {
                  requesterKind: kind,
                  requesterName: name.trim(),
                  reference: reference.trim() || null,
                  incidentKey: incident || null,
                  requested: requested.trim(),
                  receivedAt: isoOf(received)!,
                  deadlineAt: isoOf(deadline),
                },
                { onSuccess: onClose },
              )
            }
          >
            {t('investigation.requests.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const HANDED_KINDS = ['export_package', 'evidence', 'document', 'other'] as const;

export function AnswerModal({ request, onClose }: { request: InvestigationRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const answer = useAnswerRequest();
  const [items, setItems] = useState<HandedOverIn[]>([{ kind: 'export_package', ref: '', description: '' }]);
  const set = (i: number, patch: Partial<HandedOverIn>) =>
    setItems(items.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const ready = items.every((x) => x.description.trim());
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('investigation.requests.answerTitle', { name: request.requesterName })}
      size="lg"
    >
      <Stack gap="sm">
        {items.map((x, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are only appended, never reordered
          <Group key={i} align="flex-end" wrap="nowrap" data-testid="handed-row">
            <Select
              label={t('investigation.requests.handedKind')}
              data={HANDED_KINDS.map((k) => ({ value: k, label: t(`investigation.requests.handed.${k}`) }))}
              value={x.kind}
              onChange={(v) => v && set(i, { kind: v as HandedOverIn['kind'] })}
              allowDeselect={false}
              w={170}
            />
            <TextInput
              label={t('investigation.requests.handedRef')}
              value={x.ref ?? ''}
              onChange={(e) => set(i, { ref: e.currentTarget.value })}
              maxLength={200}
              w={200}
            />
            <TextInput
              label={t('investigation.requests.handedDescription')}
              value={x.description}
              onChange={(e) => set(i, { description: e.currentTarget.value })}
              maxLength={2000}
              style={{ flex: 1 }}
              data-testid="handed-description"
            />
          </Group>
        ))}
        <Group justify="space-between">
          <Button
            variant="subtle"
            size="xs"
            onClick={() => setItems([...items, { kind: 'document', ref: '', description: '' }])}
          >
            {t('investigation.requests.addHanded')}
          </Button>
          <Button
            disabled={!ready}
            loading={answer.isPending}
            onClick={() =>
              answer.mutate(
                {
                  id: request.id,
                  handedOver: items.map((x) => ({
                    kind: x.kind,
                    description: x.description.trim(),
                    ...(x.ref?.trim() ? { ref: x.ref.trim() } : {}),
                  })),
                },
                { onSuccess: onClose },
              )
            }
          >
            {t('investigation.requests.answer')}
          </Button>
        </Group>
        <ProblemAlert error={answer.error} />
      </Stack>
    </Modal>
  );
}
