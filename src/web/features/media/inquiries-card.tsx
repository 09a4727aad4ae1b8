/**
 * The war room's media inquiries: overdue ones at the top with a red badge, a count badge in the title
 * (from the media summary); media.manage logs, answers and closes them.
 */
import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { NewInquiryModal } from './inquiry-forms.js';
import { InquiryItem } from './inquiry-item.js';
import { useIncidentInquiries, useMediaSummary } from './media-api.js';
import { overdueFirst } from './media-parts.js';
import { WHOLE } from '../status-site/status-parts.js';

export function InquiriesCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canManage = useCan('media.manage');
  const inquiries = useIncidentInquiries(incidentKey);
  const summary = useMediaSummary(incidentKey);
  const [logging, setLogging] = useState(false);
  const overdue = summary.data?.overdueInquiries ?? inquiries.data?.filter((i) => i.overdue).length ?? 0;
  const open = summary.data?.openInquiries ?? 0;
  return (
    <Card withBorder radius="md" data-testid="media-inquiries">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Group gap="xs">
            <Title order={4}>{t('inquiries.title')}</Title>
            {overdue > 0 && (
              <Badge color="red" variant="filled" data-testid="inquiries-overdue-count" {...WHOLE} data-n={overdue}>
                {t('inquiries.overdueCount', { count: overdue })}
              </Badge>
            )}
            {overdue === 0 && open > 0 && (
              <Badge color="blue" variant="light" data-testid="inquiries-open-count" {...WHOLE} data-n={open}>
                {t('inquiries.openCount', { count: open })}
              </Badge>
            )}
          </Group>
          {canManage && (
            <Button size="xs" variant="light" onClick={() => setLogging(true)} data-testid="inquiry-add">
              {t('inquiries.logShort')}
            </Button>
          )}
        </Group>
        <QueryView query={inquiries} compact keepOnError>
          {(items) =>
            items.length === 0 ? (
              <EmptyState compact>{t('inquiries.empty')}</EmptyState>
            ) : (
              <Stack gap="xs">
                {overdueFirst(items).map((i) => (
                  <InquiryItem key={i.id} inquiry={i} canManage={canManage} />
                ))}
              </Stack>
            )
          }
        </QueryView>
      </Stack>
      {logging && <NewInquiryModal incidentKey={incidentKey} onClose={() => setLogging(false)} />}
    </Card>
  );
}
