/** One media inquiry as the war room and the media desk list it; overdue ones are outlined in red. */
import { useState } from 'react';
import { Anchor, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../ui/time.js';
import { AnswerInquiryModal } from './inquiry-forms.js';
import type { MediaInquiry } from './media-api.js';
import { DeadlineBadge, InquiryStateBadge } from './media-parts.js';

export function InquiryItem({
  inquiry: i,
  canManage,
  showIncident = false,
}: {
  inquiry: MediaInquiry;
  canManage: boolean;
  showIncident?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [answering, setAnswering] = useState(false);
  return (
    <Paper
      withBorder
      p="xs"
      radius="sm"
      bg={i.overdue ? 'var(--mantine-color-red-0)' : undefined}
      style={i.overdue ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
      data-testid="inquiry"
      data-id={i.id}
      data-overdue={i.overdue}
      data-state={i.status}
    >
      <Stack gap={4}>
        <Group justify="space-between" gap="xs" align="flex-start">
          <Text size="sm" fw={600} className="tocsin-break">
            {i.outlet} · {i.journalist}
          </Text>
          <Group gap={4}>
            <DeadlineBadge inquiry={i} />
            <InquiryStateBadge status={i.status} />
          </Group>
        </Group>
        <Text size="sm" className="tocsin-break" style={{ whiteSpace: 'pre-wrap' }} data-testid="inquiry-question-text">
          {i.question}
        </Text>
        {i.answer.text && (
          <Text size="xs" c="teal.8" className="tocsin-break" style={{ whiteSpace: 'pre-wrap' }}>
            {t('inquiries.answered', { text: i.answer.text })}
          </Text>
        )}
        <Group justify="space-between" wrap="nowrap" align="flex-end">
          <Text size="xs" c="dimmed" className="tocsin-break">
            {showIncident && (
              <>
                <Anchor component={Link} to={`/incidents/${encodeURIComponent(i.incidentKey)}`} size="xs">
                  {i.incidentKey}
                </Anchor>
                {' · '}
              </>
            )}
            {i.contact} · {t('inquiries.spokespersonShort', { name: i.spokesperson?.name ?? t('inquiries.nobody') })} ·{' '}
            {t('inquiries.loggedAt', { at: formatDateTime(i.createdAt, i18n.language) })}
          </Text>
          {canManage && (
            <Button
              size="compact-xs"
              variant="light"
              onClick={() => setAnswering(true)}
              style={{ flexShrink: 0 }}
              data-testid="inquiry-answer-open"
            >
              {i.status === 'open' ? t('inquiries.answerAction') : t('inquiries.change')}
            </Button>
          )}
        </Group>
      </Stack>
      {answering && <AnswerInquiryModal inquiry={i} onClose={() => setAnswering(false)} />}
    </Paper>
  );
}
