/** Badges of a customer inquiry: channel, status, SLA (overdue in red, else due time), escalation, sentiment, topics. */
import { Badge, Group } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/time.js';
import type { InquiryTopic } from '../../../shared/inquiry-schemas.js';
import type { CustomerInquiry } from './inquiries-api.js';

const STATUS_COLOR: Record<string, string> = { new: 'blue', assigned: 'grape', answered: 'teal', closed: 'gray' };
const CHANNEL_COLOR: Record<string, string> = { portal: 'cyan', email: 'violet', call_centre: 'lime', staff: 'gray' };

/** A topic tag's label (account_takeover came after the first catalog block). */
export function topicLabel(t: TFunction, topic: string): string {
  if (topic === 'account_takeover') return t('inquiryTopicsMore.account_takeover');
  return t(`customerInquiries.topic.${topic as Exclude<InquiryTopic, 'account_takeover'>}`, { defaultValue: topic });
}

export function InquiryBadges({ inquiry }: { inquiry: CustomerInquiry }) {
  const { t, i18n } = useTranslation();
  const open = inquiry.status === 'new' || inquiry.status === 'assigned';
  return (
    <Group gap={6} wrap="wrap">
      <Badge
        color={CHANNEL_COLOR[inquiry.channel]}
        variant="outline"
        data-testid="inquiry-channel"
        data-channel={inquiry.channel}
      >
        {t(`customerInquiries.channel.${inquiry.channel}`)}
      </Badge>
      <Badge color={STATUS_COLOR[inquiry.status]} variant="light" data-testid="inquiry-status">
        {t(`customerInquiries.status.${inquiry.status}`)}
      </Badge>
      {inquiry.overdue ? (
        <Badge color="red" variant="filled" data-testid="inquiry-sla-overdue">
          {t('customerInquiries.overdue')}
        </Badge>
      ) : (
        open && (
          <Badge color="gray" variant="outline" data-testid="inquiry-sla-due">
            {t('customerInquiries.dueAt', { time: formatDateTime(inquiry.slaDueAt, i18n.language) })}
          </Badge>
        )
      )}
      {inquiry.escalation && (
        <Badge color="red" variant="light" tt="none" data-testid="inquiry-escalated">
          {t('escalation.inboxEscalated', {
            name: inquiry.escalation.to.name,
            at: formatDateTime(inquiry.escalation.at, i18n.language),
          })}
        </Badge>
      )}
      {inquiry.sentiment === 'negative' && (
        <Badge color="orange" variant="light">
          {t('customerInquiries.sentiment.negative')}
        </Badge>
      )}
      {inquiry.topics.map((topic) => (
        <Badge key={topic} color="indigo" variant="dot">
          {topicLabel(t, topic)}
        </Badge>
      ))}
      {inquiry.askedCount > 1 && (
        <Badge color="yellow" variant="light">
          {t('customerInquiries.askedCount', { count: inquiry.askedCount })}
        </Badge>
      )}
    </Group>
  );
}
