/**
 * A campaign at /campaigns/:id: what it sends to whom, live counts per channel and state (refreshed
 * every 2 s), the message of each customer (filtered by status), a preview for one customer number, and launch (confirmed), pause, resume, cancel.
 */
import { useState } from 'react';
import { Badge, Button, Card, Grid, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { type Campaign, useCampaign, useCampaignMessages, useCampaignStep, usePreview } from './campaigns-api.js';
import { STATE_COLORS } from './campaigns-card.js';
import { CampaignMessagesTable } from './campaign-messages-table.js';

type ChannelKey = 'sms' | 'email' | 'push' | 'none' | 'total';
const channelKey = (c: string) => c as ChannelKey;

const SHOWN = ['queued', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'skipped'] as const;

function Counts({ id }: { id: string }) {
  const { t } = useTranslation();
  const messages = useCampaignMessages(id);
  return (
    <QueryView query={messages} keepOnError>
      {(page) => {
        const channels = Object.keys(page.counts).filter((c) => c !== 'total');
        return (
          <Table withTableBorder striped data-testid="campaign-counts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaigns.channelHeader')}</Table.Th>
                {SHOWN.map((s) => (
                  <Table.Th key={s}>{t(`campaigns.messageState.${s}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...channels, 'total'].map((c) => (
                <Table.Tr key={c} data-testid={`campaign-counts-${c}`}>
                  <Table.Td>{t(`campaigns.channel.${channelKey(c)}`)}</Table.Td>
                  {SHOWN.map((s) => (
                    <Table.Td key={s} data-state={s} data-n={page.counts[c]?.[s] ?? 0}>
                      {page.counts[c]?.[s] ?? 0}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        );
      }}
    </QueryView>
  );
}

function Preview({ id }: { id: string }) {
  const { t } = useTranslation();
  const [customerNo, setCustomerNo] = useState('');
  const preview = usePreview();
  return (
    <Card withBorder radius="md">
      <Stack gap="xs">
        <Title order={5}>{t('campaigns.preview')}</Title>
        <Group align="flex-end">
          <TextInput
            label={t('campaigns.customerNo')}
            value={customerNo}
            onChange={(e) => setCustomerNo(e.currentTarget.value)}
            data-testid="campaign-preview-no"
          />
          <Button
            variant="light"
            onClick={() => preview.mutate({ id, customerNo: customerNo.trim() })}
            data-testid="campaign-preview"
          >
            {t('campaigns.previewButton')}
          </Button>
        </Group>
        {preview.error && <ProblemAlert error={preview.error} />}
        {preview.data && (
          <Stack gap={4} data-testid="campaign-preview-text">
            <Group gap="xs">
              <Badge variant="light">{t(`campaigns.channel.${preview.data.channel}`)}</Badge>
              <Badge variant="outline">{preview.data.language}</Badge>
              {preview.data.skipReason && (
                <Badge color="red" variant="light">
                  {t(`campaigns.reason.${preview.data.skipReason as 'opted_out' | 'no_contact'}`)}
                </Badge>
              )}
            </Group>
            {preview.data.subject !== null && (
              <Text size="sm" fw={600} data-testid="campaign-preview-subject">
                {preview.data.subject}
              </Text>
            )}
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {preview.data.text}
            </Text>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function Steps({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const step = useCampaignStep(campaign.id);
  const s = campaign.state;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {s === 'draft' && (
          <ConfirmButton
            question={t('campaigns.launchConfirm')}
            onConfirm={() => step.mutate('launch')}
            testId="campaign-launch"
          >
            {t('campaigns.launch')}
          </ConfirmButton>
        )}
        {(s === 'fanning_out' || s === 'running') && (
          <Button variant="light" color="yellow" onClick={() => step.mutate('pause')} data-testid="campaign-pause">
            {t('campaigns.pause')}
          </Button>
        )}
        {s === 'paused' && (
          <Button variant="light" onClick={() => step.mutate('resume')} data-testid="campaign-resume">
            {t('campaigns.resume')}
          </Button>
        )}
        {s !== 'done' && s !== 'cancelled' && (
          <ConfirmButton
            question={t('campaigns.cancelConfirm')}
            onConfirm={() => step.mutate('cancel')}
            variant="subtle"
            color="red"
            testId="campaign-cancel"
          >
            {t('campaigns.cancel')}
          </ConfirmButton>
        )}
      </Group>
      {step.error && <ProblemAlert error={step.error} />}
    </Stack>
  );
}

export function CampaignPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const campaign = useCampaign(id);
  const canLaunch = useCan('campaign.launch');
  usePageTitle(campaign.data?.name ?? t('campaigns.title'));
  return (
    <QueryView query={campaign}>
      {(c) => (
        <Stack gap="md" data-testid="campaign-page" data-state={c.state}>
          <Group justify="space-between">
            <Stack gap={2}>
              <Group gap="xs">
                <Title order={2}>{c.name}</Title>
                <Badge color={STATE_COLORS[c.state]} data-testid="campaign-state">
                  {t(`campaigns.state.${c.state}`)}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed">
                <Link to={`/incidents/${c.incidentKey}`}>{c.incidentKey}</Link> ·{' '}
                {c.channels.map((ch) => t(`campaigns.channel.${ch}`)).join(' → ')} ·{' '}
                {c.quietHours
                  ? t('campaigns.quietFromTo', { start: c.quietHours.start, end: c.quietHours.end })
                  : t('campaigns.noQuiet')}
                {c.quietHours && c.mandatory && c.urgent ? t('campaignUrgency.urgent') : ''} ·{' '}
                {t('campaigns.messageCount', { count: c.messageCount })}
              </Text>
            </Stack>
            {canLaunch && <Steps campaign={c} />}
          </Group>
          <Grid gutter="md">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <Card withBorder radius="md">
                <Stack gap="xs">
                  <Title order={5}>{t('campaigns.counts')}</Title>
                  <Counts id={c.id} />
                </Stack>
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <Preview id={c.id} />
            </Grid.Col>
          </Grid>
          <CampaignMessagesTable id={c.id} />
        </Stack>
      )}
    </QueryView>
  );
}
