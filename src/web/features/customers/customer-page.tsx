/** One customer at /customers/:customerNo: fields masked, accounts, and Reveal (with a reason, audited). */
import { useState } from 'react';
import { Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { type Customer, type Revealed, useCustomer, useReveal } from './customers-api.js';

const PII = ['phone', 'email', 'idNumber', 'bankCard'] as const;

function RevealButton({ customerNo, onRevealed }: { customerNo: string; onRevealed: (r: Revealed) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const reveal = useReveal(customerNo);
  return (
    <>
      <Button variant="light" color="orange" onClick={() => setOpen(true)} data-testid="customer-reveal">
        {t('customers.reveal')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('customers.revealTitle')}>
        <Stack>
          <Text size="sm">{t('customers.revealHint')}</Text>
          <Textarea
            label={t('customers.revealReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            minRows={2}
            data-testid="customer-reveal-reason"
          />
          {reveal.error && <ProblemAlert error={reveal.error} />}
          <Group justify="flex-end">
            <Button
              disabled={reason.trim().length < 2}
              loading={reveal.isPending}
              data-testid="customer-reveal-confirm"
              onClick={() =>
                reveal.mutate(
                  { reason: reason.trim(), fields: [...PII] },
                  {
                    onSuccess: (r) => {
                      onRevealed(r);
                      setOpen(false);
                    },
                  },
                )
              }
            >
              {t('customers.revealConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function Fields({ c, revealed }: { c: Customer; revealed: Revealed | null }) {
  const { t } = useTranslation();
  const row = (label: string, value: string | null | undefined, testId?: string) => (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text data-testid={testId}>{value || '—'}</Text>
    </Stack>
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
      {PII.map((f) => row(t(`customers.${f}`), revealed ? revealed[f] : c[f], `customer-${f}`))}
      {row(t('customers.language'), t(`customers.languages.${c.language}`))}
      {row(t('customers.channel'), c.channel ? t(`customers.channels.${c.channel}`) : null)}
      {row(t('customers.branch'), c.branch)}
      {row(t('customers.tier'), c.tier)}
      {row(t('customers.accountManager'), c.accountManager)}
      {row(t('customers.optOuts'), c.optOuts.join(', '))}
    </SimpleGrid>
  );
}

export function CustomerPage() {
  const { t } = useTranslation();
  const { customerNo = '' } = useParams();
  const customer = useCustomer(customerNo);
  const canReveal = useCan('customer.reveal');
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  usePageTitle(customerNo);
  return (
    <QueryView query={customer}>
      {(c) => (
        <Stack gap="md" data-testid="customer-page">
          <Group justify="space-between">
            <Group>
              <Title order={2}>{c.name}</Title>
              <Badge variant="light">{c.customerNo}</Badge>
              {revealed && (
                <Badge color="orange" data-testid="customer-revealed">
                  {t('customers.revealed')}
                </Badge>
              )}
            </Group>
            {canReveal && !revealed && <RevealButton customerNo={c.customerNo} onRevealed={setRevealed} />}
          </Group>
          <Card withBorder radius="md">
            <Fields c={c} revealed={revealed} />
          </Card>
          <Card withBorder radius="md">
            <Stack gap="xs">
              <Title order={4}>{t('customers.accounts')}</Title>
              {c.accounts.length === 0 ? (
                <Text c="dimmed">{t('customers.noAccounts')}</Text>
              ) : (
                <Group gap="xs">
                  {c.accounts.map((a) => (
                    <Badge key={a} variant="outline">
                      {a}
                    </Badge>
                  ))}
                </Group>
              )}
            </Stack>
          </Card>
        </Stack>
      )}
    </QueryView>
  );
}
