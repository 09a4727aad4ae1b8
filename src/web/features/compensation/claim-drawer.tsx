/** A claim's detail in a drawer: figures, versions, the negotiation log, approvals, mediation, staff actions. */
import { Drawer, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime, formatMoney } from '../../ui/time.js';
import { ClaimActions } from './claim-action-form.js';
import { ClaimAttachments } from './claim-attachments.js';
import { ClaimStatusBadge } from './compensation-parts.js';
import { type ClaimDetail, useClaim } from './compensation-api.js';

export function ClaimDrawer({ claimId, onClose }: { claimId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const claim = useClaim(claimId);
  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size="xl"
      title={t('comp.claim.title')}
      data-testid="claim-drawer"
    >
      <QueryView query={claim}>{(c) => <Detail claim={c} />}</QueryView>
    </Drawer>
  );
}

function Detail({ claim: c }: { claim: ClaimDetail }) {
  const { t, i18n } = useTranslation();
  const money = (m: number | null) => (m === null ? '—' : formatMoney(m, c.currency, i18n.language));
  const at = (iso: string | null) => formatDateTime(iso, i18n.language);
  return (
    <Stack gap="md" data-testid="claim-detail" data-status={c.status} data-ref={c.ref}>
      <Group gap="xs">
        <Text ff="monospace" fw={700}>
          {c.ref}
        </Text>
        <ClaimStatusBadge status={c.status} />
        <Text size="sm" c="dimmed">
          {t('comp.claim.version', { version: c.version })}
        </Text>
      </Group>
      <Text>
        {c.customer.name}{' '}
        <Text span size="sm" c="dimmed" ff="monospace">
          {c.customer.customerNo}
          {c.customer.tier ? ` · ${c.customer.tier}` : ''}
          {c.customer.phoneMasked ? ` · ${c.customer.phoneMasked}` : ''}
        </Text>
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 3 }}>
        <Figure label={t('comp.claims.amount')} value={money(c.amountMinor)} testId="claim-detail-amount" />
        <Figure label={t('comp.claim.claimed')} value={money(c.claimedMinor)} />
        <Figure label={t('comp.claim.loss')} value={money(c.lossMinor)} />
        <Figure
          label={t('comp.run.basis')}
          value={t(`comp.basis.${c.basis as 'goodwill'}`, { defaultValue: c.basis })}
        />
        <Figure label={t('comp.claims.source')} value={t(`comp.source.${c.source}`)} />
        <Figure
          label={t('comp.claims.approval')}
          value={`${t(`comp.tier.${c.approval.tier as 'lead'}`, { defaultValue: c.approval.tier })} · ${c.approval.given}/${c.approval.needed}`}
          testId="claim-detail-approval"
        />
        {c.goodwill && (
          <Figure
            label={t('comp.claim.goodwill')}
            value={`${t(`comp.goodwill.${c.goodwill.kind}`)}${c.goodwill.amountMinor ? ` · ${money(c.goodwill.amountMinor)}` : ''}`}
          />
        )}
        {c.acceptedAt && (
          <Figure
            label={t('comp.claim.accepted')}
            value={`${at(c.acceptedAt)} · ${t(`comp.channel.${c.acceptedChannel as 'phone'}`, { defaultValue: c.acceptedChannel ?? '' })}`}
          />
        )}
        {c.declineReason && (
          <Figure
            label={t('comp.action.declineReason')}
            value={t(`comp.declineReason.${c.declineReason as 'other'}`)}
          />
        )}
        {c.paidAt && <Figure label={t('comp.claim.paid')} value={at(c.paidAt)} />}
      </SimpleGrid>
      <ClaimActions claim={c} />
      <ClaimAttachments claimId={c.id} />

      <Title order={5}>{t('comp.claim.log')}</Title>
      <Table.ScrollContainer minWidth={640}>
        <Table striped data-testid="claim-log">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('comp.claim.at')}</Table.Th>
              <Table.Th>{t('comp.claim.who')}</Table.Th>
              <Table.Th>{t('comp.claim.what')}</Table.Th>
              <Table.Th ta="right">{t('comp.claims.amount')}</Table.Th>
              <Table.Th miw={160}>{t('comp.action.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.events.map((e) => (
              <Table.Tr key={e.id} data-testid="claim-event" data-kind={e.kind}>
                <Table.Td>
                  <Text size="xs">{at(e.at)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t(`comp.speaker.${e.speaker}`)}</Text>
                  <Text size="xs" c="dimmed">
                    {t(`comp.channel.${e.channel as 'phone'}`, { defaultValue: e.channel })}
                    {e.recordedBy?.name ? ` · ${t('comp.claim.recordedBy', { name: e.recordedBy.name })}` : ''}
                    {e.ip ? ` · ${e.ip}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t(`comp.event.${e.kind}`)}</Text>
                  <Text size="xs" c="dimmed">
                    {e.fromStatus && e.fromStatus !== e.toStatus
                      ? `${t(`comp.status.${e.fromStatus as 'offered'}`)} → `
                      : ''}
                    {t(`comp.status.${e.toStatus as 'offered'}`)} · v{e.version}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {e.amountMinor === null ? '' : formatMoney(e.amountMinor, e.currency ?? c.currency, i18n.language)}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" className="tocsin-break">
                    {e.reason ?? ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Title order={5}>{t('comp.claim.versions')}</Title>
      <Table striped data-testid="claim-versions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>v</Table.Th>
            <Table.Th ta="right">{t('comp.claims.amount')}</Table.Th>
            <Table.Th>{t('comp.run.basis')}</Table.Th>
            <Table.Th>{t('comp.action.reason')}</Table.Th>
            <Table.Th>{t('comp.claim.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {c.versions.map((v) => (
            <Table.Tr key={v.version}>
              <Table.Td>{v.version}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {formatMoney(v.amountMinor, v.currency, i18n.language)}
              </Table.Td>
              <Table.Td>{t(`comp.basis.${v.basis as 'goodwill'}`, { defaultValue: v.basis })}</Table.Td>
              <Table.Td>
                <Text size="sm">{v.reason}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {v.createdBy?.name ?? '—'} · {at(v.createdAt)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      {c.approvals.length > 0 && (
        <>
          <Title order={5}>{t('comp.claim.approvals')}</Title>
          <Stack gap={2} data-testid="claim-approvals">
            {c.approvals.map((a) => (
              <Text key={`${a.version}-${a.approver?.id}`} size="sm">
                v{a.version} · {t(`comp.tier.${a.tier as 'lead'}`, { defaultValue: a.tier })} ·{' '}
                {a.approver?.name ?? '—'} · {at(a.at)}
              </Text>
            ))}
          </Stack>
        </>
      )}
      {c.mediations.length > 0 && (
        <>
          <Title order={5}>{t('comp.claim.mediations')}</Title>
          <Stack gap={2}>
            {c.mediations.map((m) => (
              <Text key={m.id} size="sm">
                {t(`comp.mediationBody.${m.body}`)} {m.caseRef ? `(${m.caseRef})` : ''} · {at(m.referredAt)}
                {m.outcome ? ` → ${t(`comp.mediationOutcome.${m.outcome}`)}` : ''}
                {m.outcomeMinor !== null ? ` · ${money(m.outcomeMinor)}` : ''}
              </Text>
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}
