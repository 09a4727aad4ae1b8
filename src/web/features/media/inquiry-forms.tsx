/** Logging a media inquiry, and answering, closing or reassigning one. */
import { useState } from 'react';
import { Button, Group, Modal, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { localInputToIso } from '../../ui/time.js';
import { useUsers } from '../users/users-api.js';
import { statementTitle, useIncidentStatements } from '../statements/statements-api.js';
import { type MediaInquiry, useSaveInquiry } from './media-api.js';
import { INQUIRY_STATES } from './media-parts.js';

/** An ISO time as a datetime-local input's value in the browser's zone. */
function isoToLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function SpokespersonSelect({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  const users = useUsers();
  return (
    <Select
      label={t('inquiries.spokesperson')}
      data={(users.data ?? []).filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.name }))}
      value={value}
      onChange={onChange}
      searchable
      clearable
      comboboxProps={{ withinPortal: false }}
      data-testid="inquiry-spokesperson"
    />
  );
}

export function NewInquiryModal({ incidentKey, onClose }: { incidentKey: string; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveInquiry(incidentKey);
  const [outlet, setOutlet] = useState('');
  const [journalist, setJournalist] = useState('');
  const [contact, setContact] = useState('');
  const [question, setQuestion] = useState('');
  const [deadline, setDeadline] = useState('');
  const [spokesperson, setSpokesperson] = useState<string | null>(null);
  const ready = outlet.trim() && journalist.trim() && contact.trim() && question.trim();
  const submit = () =>
    save.mutate(
      {
        id: null,
        body: {
          outlet: outlet.trim(),
          journalist: journalist.trim(),
          contact: contact.trim(),
          question: question.trim(),
          deadline: localInputToIso(deadline) ?? null,
          spokespersonId: spokesperson,
        },
      },
      { onSuccess: onClose },
    );
  return (
    <Modal opened onClose={onClose} size="lg" title={t('inquiries.log')}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('inquiries.outlet')}
            value={outlet}
            onChange={(e) => setOutlet(e.currentTarget.value)}
            error={fieldError(save.error, 'outlet')}
            data-testid="inquiry-outlet"
          />
          <TextInput
            label={t('inquiries.journalist')}
            value={journalist}
            onChange={(e) => setJournalist(e.currentTarget.value)}
            error={fieldError(save.error, 'journalist')}
            data-testid="inquiry-journalist"
          />
          <TextInput
            label={t('inquiries.contact')}
            description={t('inquiries.contactHint')}
            value={contact}
            onChange={(e) => setContact(e.currentTarget.value)}
            error={fieldError(save.error, 'contact')}
            data-testid="inquiry-contact"
          />
          <TextInput
            type="datetime-local"
            label={t('inquiries.deadline')}
            value={deadline}
            onChange={(e) => setDeadline(e.currentTarget.value)}
            error={fieldError(save.error, 'deadline')}
            data-testid="inquiry-deadline"
          />
        </SimpleGrid>
        <Textarea
          label={t('inquiries.question')}
          autosize
          minRows={3}
          value={question}
          onChange={(e) => setQuestion(e.currentTarget.value)}
          data-testid="inquiry-question"
        />
        <SpokespersonSelect value={spokesperson} onChange={setSpokesperson} />
        <ProblemAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={!ready} loading={save.isPending} onClick={submit} data-testid="inquiry-save">
            {t('inquiries.logShort')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Answer (free text), close, reopen, change the deadline or the spokesperson of an inquiry. */
export function AnswerInquiryModal({ inquiry, onClose }: { inquiry: MediaInquiry; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveInquiry(inquiry.incidentKey);
  const [answer, setAnswer] = useState(inquiry.answer.text ?? '');
  const [statementId, setStatementId] = useState<string | null>(inquiry.answer.statementId);
  const [status, setStatus] = useState<MediaInquiry['status']>(inquiry.status === 'open' ? 'answered' : inquiry.status);
  const [deadline, setDeadline] = useState(isoToLocalInput(inquiry.deadline));
  const [spokesperson, setSpokesperson] = useState<string | null>(inquiry.spokesperson?.id ?? null);
  const submit = () => {
    const answerChange = {
      ...(answer.trim() !== (inquiry.answer.text ?? '') ? { text: answer.trim() || null } : {}),
      ...(statementId !== inquiry.answer.statementId ? { statementId } : {}),
    };
    const body = {
      ...(Object.keys(answerChange).length ? { answer: answerChange } : {}),
      ...(status !== inquiry.status ? { status } : {}),
      ...(deadline !== isoToLocalInput(inquiry.deadline) ? { deadline: localInputToIso(deadline) ?? null } : {}),
      ...(spokesperson !== (inquiry.spokesperson?.id ?? null) ? { spokespersonId: spokesperson } : {}),
    };
    if (Object.keys(body).length === 0) onClose();
    else save.mutate({ id: inquiry.id, body }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} size="lg" title={t('inquiries.answerTitle', { outlet: inquiry.outlet })}>
      <Stack gap="sm">
        <Textarea label={t('inquiries.question')} value={inquiry.question} readOnly autosize minRows={2} />
        <Textarea
          label={t('inquiries.answer')}
          description={t('inquiries.answerHint')}
          autosize
          minRows={3}
          value={answer}
          onChange={(e) => setAnswer(e.currentTarget.value)}
          data-testid="inquiry-answer"
        />
        <AnswerStatementSelect incidentKey={inquiry.incidentKey} value={statementId} onChange={setStatementId} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('inquiries.status')}
            data={INQUIRY_STATES.map((s) => ({ value: s, label: t(`inquiries.states.${s}`) }))}
            value={status}
            onChange={(v) => v && setStatus(v as MediaInquiry['status'])}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
            data-testid="inquiry-status"
          />
          <TextInput
            type="datetime-local"
            label={t('inquiries.deadline')}
            value={deadline}
            onChange={(e) => setDeadline(e.currentTarget.value)}
          />
          <SpokespersonSelect value={spokesperson} onChange={setSpokesperson} />
        </SimpleGrid>
        <ProblemAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={save.isPending} onClick={submit} data-testid="inquiry-answer-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The approved or published statement that answers the inquiry (the spokesperson says what was approved). */
function AnswerStatementSelect(props: {
  incidentKey: string;
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const statements = useIncidentStatements(props.incidentKey);
  const data = (statements.data?.items ?? [])
    .filter((x) => x.state === 'approved' || x.state === 'published' || x.id === props.value)
    .map((x) => ({
      value: x.id,
      label: `${statementTitle(x.version, i18n.language)} · ${t(`statements.state.${x.state}`)}`,
    }));
  return (
    <Select
      label={t('inquiryStatement.answer')}
      description={t('inquiryStatement.hint')}
      placeholder={data.length ? undefined : t('inquiryStatement.none')}
      data={data}
      value={props.value}
      onChange={props.onChange}
      clearable
      comboboxProps={{ withinPortal: false }}
      data-testid="inquiry-answer-statement"
    />
  );
}
