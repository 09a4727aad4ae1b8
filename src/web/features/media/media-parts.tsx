/** Small pieces of the media desk: verdict and inquiry badges, the deadline's presentation, the overdue-first order. */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FACT_VERDICTS, type FactVerdict } from '../../../shared/status-site.js';
import { formatDateTime } from '../../ui/time.js';
import { useNow } from '../../ui/use-now.js';
import type { MediaInquiry } from './media-api.js';
import { WHOLE } from '../status-site/status-parts.js';

export const VERDICTS = FACT_VERDICTS;
export const INQUIRY_STATES = ['open', 'answered', 'closed'] as const satisfies readonly MediaInquiry['status'][];

/** An open inquiry whose deadline is this close counts as due soon. */
const DUE_SOON_MS = 60 * 60_000;

const VERDICT_COLORS: Record<FactVerdict, string> = { false: 'red', unverified: 'yellow', confirmed: 'teal' };

export function VerdictBadge({ verdict }: { verdict: FactVerdict }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={VERDICT_COLORS[verdict]}
      variant="light"
      size="sm"
      data-testid="fact-verdict-badge"
      {...WHOLE}
      data-verdict={verdict}
    >
      {t(`rumors.verdicts.${verdict}`)}
    </Badge>
  );
}

const STATE_COLORS = { open: 'blue', answered: 'teal', closed: 'gray' } as const;

export function InquiryStateBadge({ status }: { status: MediaInquiry['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={STATE_COLORS[status]}
      variant="light"
      size="sm"
      data-testid="inquiry-state"
      {...WHOLE}
      data-state={status}
    >
      {t(`inquiries.states.${status}`)}
    </Badge>
  );
}

/** Where an inquiry stands against its deadline: overdue (the server's word), due soon, or just the time. */
export type Due = 'overdue' | 'soon' | 'later' | 'none';

export function dueOf(i: MediaInquiry, now: number): Due {
  if (i.overdue) return 'overdue';
  if (i.status !== 'open' || !i.deadline) return 'none';
  const left = Date.parse(i.deadline) - now;
  return left <= DUE_SOON_MS ? 'soon' : 'later';
}

/** The deadline as a badge: red when overdue, orange when due within the hour. */
export function DeadlineBadge({ inquiry }: { inquiry: MediaInquiry }) {
  const { t, i18n } = useTranslation();
  const now = useNow(30_000);
  const due = dueOf(inquiry, now);
  if (!inquiry.deadline) return null;
  const at = formatDateTime(inquiry.deadline, i18n.language);
  const minutes = Math.max(0, Math.ceil((Date.parse(inquiry.deadline) - now) / 60_000));
  const text =
    due === 'overdue'
      ? t('inquiries.overdueSince', { at })
      : due === 'soon'
        ? t('inquiries.dueIn', { count: minutes, at })
        : t('inquiries.dueAt', { at });
  const color = due === 'overdue' ? 'red' : due === 'soon' ? 'orange' : 'gray';
  return (
    <Badge
      color={color}
      variant={due === 'overdue' ? 'filled' : 'light'}
      size="sm"
      data-testid="inquiry-due"
      {...WHOLE}
      data-due={due}
    >
      {text}
    </Badge>
  );
}

/** Overdue first, then open ones by deadline (soonest first, none last), then the rest newest first. */
export function overdueFirst(items: MediaInquiry[]): MediaInquiry[] {
  const rank = (i: MediaInquiry) => (i.overdue ? 0 : i.status === 'open' ? 1 : 2);
  const deadline = (i: MediaInquiry) => (i.deadline ? Date.parse(i.deadline) : Number.POSITIVE_INFINITY);
  return [...items].sort(
    (a, b) => rank(a) - rank(b) || deadline(a) - deadline(b) || b.createdAt.localeCompare(a.createdAt),
  );
}
