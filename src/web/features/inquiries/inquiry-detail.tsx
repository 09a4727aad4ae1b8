/** One customer inquiry: the thread (customer, notes, answers), assign, answer (free or canned FAQ), note, close. */
import { useState } from 'react';
import { Badge, Button, Card, Group, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan, useSession } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { useUsers } from '../users/users-api.js';
import { type CustomerInquiryDetail, useCannedAnswers, useChangeInquiry, useInquiry } from './inquiries-api.js';
import { InquiryBadges } from './inquiry-badges.js';

const KIND_COLOR: Record<string, string> = { customer: 'blue', note: 'gray', answer: 'teal' };

function Thread({ inquiry }: { inquiry: CustomerInquiryDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="xs" data-testid="inquiry-thread">
      {inquiry.messages.map((m) => (
        <Card key={m.id} withBorder radius="sm" padding="xs" bg={m.kind === 'note' ? 'gray.0' : undefined}>
          <Group gap="xs" justify="space-between">
            <Badge size="xs" color={KIND_COLOR[m.kind]} variant="light">
              {t(`customerInquiries.kind.${m.kind}`)}
            </Badge>
            <Text size="xs" c="dimmed">
              {m.authorName ?? ''} {formatDateTime(m.at, i18n.language)}
            </Text>
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid={`message-${m.kind}`}>
            {m.body}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}

function Actions({ inquiry }: { inquiry: CustomerInquiryDetail }) {
  const { t } = useTranslation();
  const me = useSession().user;
  const users = useUsers();
  const canned = useCannedAnswers(inquiry.id);
  const change = useChangeInquiry(inquiry.id);
  const [text, setText] = useState('');
  const [faqId, setFaqId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const closed = inquiry.status === 'closed';
  const chosen = canned.data?.find((c) => c.id === faqId);
  return (
    <Stack gap="sm">
      <ProblemAlert error={change.error} />
      <Group gap="xs" align="end">
        <Select
          label={t('customerInquiries.assignee')}
          data={(users.data ?? []).filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.name }))}
          value={inquiry.assignee?.id ?? null}
          onChange={(v) => change.mutate({ kind: 'assign', assigneeId: v })}
          searchable
          clearable
          disabled={closed}
          comboboxProps={{ withinPortal: false }}
          data-testid="inquiry-assignee"
        />
        {inquiry.assignee?.id !== me.id && !closed && (
          <Button
            variant="light"
            onClick={() => change.mutate({ kind: 'assign', assigneeId: me.id })}
            data-testid="inquiry-assign-me"
          >
            {t('customerInquiries.assignMe')}
          </Button>
        )}
      </Group>
      {!closed && (
        <>
          {(canned.data?.length ?? 0) > 0 && (
            <Select
              label={t('customerInquiries.canned')}
              placeholder={t('customerInquiries.cannedPlaceholder')}
              data={(canned.data ?? []).map((c) => ({ value: c.id, label: c.question }))}
              value={faqId}
              onChange={setFaqId}
              clearable
              comboboxProps={{ withinPortal: false }}
              data-testid="inquiry-canned"
            />
          )}
          <Textarea
            label={t('customerInquiries.answer')}
            description={t(inquiry.channel === 'email' ? 'escalation.answerMailed' : 'customerInquiries.answerHint')}
            autosize
            minRows={3}
            value={chosen ? chosen.answer : text}
            readOnly={Boolean(chosen)}
            onChange={(e) => setText(e.currentTarget.value)}
            data-testid="inquiry-answer-text"
          />
          <Group gap="xs">
            <Button
              disabled={!chosen && !text.trim()}
              loading={change.isPending}
              onClick={() =>
                change.mutate(chosen ? { kind: 'answer', faqId: chosen.id } : { kind: 'answer', text: text.trim() }, {
                  onSuccess: () => {
                    setText('');
                    setFaqId(null);
                  },
                })
              }
              data-testid="inquiry-send-answer"
            >
              {t('customerInquiries.sendAnswer')}
            </Button>
            <Button variant="default" onClick={() => change.mutate({ kind: 'close' })} data-testid="inquiry-close">
              {t('customerInquiries.close')}
            </Button>
          </Group>
        </>
      )}
      <Textarea
        label={t('customerInquiries.note')}
        autosize
        minRows={2}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        data-testid="inquiry-note-text"
      />
      <Group>
        <Button
          variant="light"
          disabled={!note.trim()}
          onClick={() => change.mutate({ kind: 'note', body: note.trim() }, { onSuccess: () => setNote('') })}
          data-testid="inquiry-add-note"
        >
          {t('customerInquiries.addNote')}
        </Button>
      </Group>
    </Stack>
  );
}

export function InquiryDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const query = useInquiry(id);
  const canManage = useCan('inquiry.manage');
  const canSeeCustomers = useCan('customer.read');
  return (
    <QueryView query={query}>
      {(inquiry) => (
        <Stack gap="sm" data-testid="inquiry-detail" data-reference={inquiry.reference}>
          <Group justify="space-between">
            <Title order={4}>{inquiry.reference}</Title>
            <Text size="sm" c="dimmed">
              {t(`customerInquiries.channel.${inquiry.channel}`)}
              {inquiry.incidentKey && (
                <>
                  {' · '}
                  <Link to={`/incidents/${inquiry.incidentKey}`}>{inquiry.incidentKey}</Link>
                </>
              )}
            </Text>
          </Group>
          <Text size="sm" data-testid="inquiry-contact">
            {inquiry.customerNo && (
              <span data-testid="inquiry-customer">
                {canSeeCustomers ? (
                  <Link to={`/customers/${encodeURIComponent(inquiry.customerNo)}`}>
                    {t('inquiryCustomer.label', { no: inquiry.customerNo })}
                  </Link>
                ) : (
                  t('inquiryCustomer.label', { no: inquiry.customerNo })
                )}
                {' · '}
              </span>
            )}
            {inquiry.contact}
            {inquiry.rating !== null && ` · ${t('customerInquiries.rating', { rating: inquiry.rating })}`}
          </Text>
          <InquiryBadges inquiry={inquiry} />
          <Thread inquiry={inquiry} />
          {canManage && <Actions inquiry={inquiry} />}
        </Stack>
      )}
    </QueryView>
  );
}
