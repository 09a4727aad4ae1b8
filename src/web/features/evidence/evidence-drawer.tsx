/**
 * One evidence item in a drawer: every recorded field, the safe preview (a picture re-encoded by the
 * server shown from a blob URL, text in a <pre> — never the item's own bytes rendered), the download,
 * the chain of custody, legal hold with its reason, and deletion (not while on hold, after a confirm).
 */
import { Button, Code, Drawer, Group, Image, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { Fact } from '../../ui/fact.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { download } from '../compensation/file-download.js';
import {
  contentUrl,
  type EvidenceItem,
  previewKind,
  useCustody,
  useDeleteEvidence,
  useEvidenceItem,
  useHold,
  usePreview,
} from './evidence-api.js';
import { formatSize, HashText, ItemBadges } from './evidence-parts.js';

export function EvidenceDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  // Opening the item is a view (a custody entry); its custody is read after that.
  const query = useEvidenceItem(id);
  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size="xl"
      title={query.data?.fileName ?? t('evidence.title')}
      data-testid="evidence-drawer"
    >
      <QueryView query={query}>
        {(item) => (
          <Stack gap="md" data-testid="evidence-detail" data-id={item.id} data-hold={String(item.legalHold)}>
            <Fields item={item} />
            <Preview item={item} />
            <Custody id={item.id} />
            <Manage item={item} onDeleted={onClose} />
            <Text size="xs" c="dimmed">
              {t('evidence.drawer.never')}
            </Text>
          </Stack>
        )}
      </QueryView>
    </Drawer>
  );
}

function Fields({ item }: { item: EvidenceItem }) {
  const { t, i18n } = useTranslation();
  const get = useMutation({ mutationFn: () => download(contentUrl(item.id), item.fileName) });
  return (
    <Stack gap="xs">
      <Group gap="xs" justify="space-between">
        <ItemBadges item={item} />
        <Button
          size="xs"
          variant="light"
          loading={get.isPending}
          onClick={() => get.mutate()}
          data-testid="evidence-download"
        >
          {t('evidence.download')}
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Fact label={t('evidence.field.kind')}>{t(`evidence.kind.${item.kind}`)}</Fact>
        <Fact label={t('evidence.field.size')}>
          {formatSize(item.bytes, i18n.language)} · {item.mediaType}
        </Fact>
        <Fact label="SHA-256">
          <HashText value={item.sha256} short={false} testId="evidence-detail-sha256" />
        </Fact>
        <Fact label="MD5">
          <HashText value={item.md5} short={false} />
        </Fact>
        {item.acquirerSha256 && (
          <Fact label={t('evidence.field.acquirerSha256')}>
            <HashText value={item.acquirerSha256} short={false} />
          </Fact>
        )}
        <Fact label={t('evidence.field.sourceSystem')}>{item.sourceSystem || '—'}</Fact>
        <Fact label={t('evidence.field.acquisitionMethod')}>{item.acquisitionMethod || '—'}</Fact>
        <Fact label={t('evidence.field.by')}>
          {item.uploadedBy?.name ?? t('evidence.cli')} · {formatDateTime(item.createdAt, i18n.language, true)}
          {item.ip ? ` · ${item.ip}` : ''}
        </Fact>
      </SimpleGrid>
      {item.description && (
        <Fact label={t('evidence.field.description')}>
          <Text size="sm" className="tocsin-break" style={{ whiteSpace: 'pre-wrap' }}>
            {item.description}
          </Text>
        </Fact>
      )}
      <ProblemAlert error={get.error} />
    </Stack>
  );
}

function Preview({ item }: { item: EvidenceItem }) {
  const { t } = useTranslation();
  const kind = previewKind(item.mediaType);
  const [asked, setAsked] = useState(false);
  const preview = usePreview(item, asked);
  const image = preview.data && 'image' in preview.data ? preview.data.image : null;
  useEffect(() => () => void (image && URL.revokeObjectURL(image)), [image]);
  return (
    <Stack gap="xs" data-testid="evidence-preview">
      <Title order={5}>{t('evidence.preview.title')}</Title>
      {kind === null ? (
        <Text size="sm" c="dimmed" data-testid="evidence-no-preview">
          {t('evidence.preview.none')}
        </Text>
      ) : !asked ? (
        <Button
          size="xs"
          variant="default"
          w="fit-content"
          onClick={() => setAsked(true)}
          data-testid="evidence-preview-open"
        >
          {t('evidence.preview.open')}
        </Button>
      ) : (
        <QueryView query={preview} compact>
          {(p) =>
            'image' in p ? (
              <Image
                src={p.image}
                alt={t('evidence.preview.alt', { name: item.fileName })}
                w="auto"
                maw="100%"
                style={{ alignSelf: 'flex-start' }}
                fit="contain"
                data-testid="evidence-preview-image"
              />
            ) : (
              <Stack gap={4}>
                <Code
                  block
                  fz="xs"
                  mah={420}
                  style={{ overflow: 'auto', whiteSpace: 'pre-wrap' }}
                  data-testid="evidence-preview-text"
                >
                  {p.text}
                </Code>
                {p.truncated && (
                  <Text size="xs" c="dimmed">
                    {t('evidence.preview.truncated')}
                  </Text>
                )}
              </Stack>
            )
          }
        </QueryView>
      )}
      <Text size="xs" c="dimmed">
        {t('evidence.preview.safe')}
      </Text>
    </Stack>
  );
}

function Custody({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const custody = useCustody(id, true);
  return (
    <Stack gap="xs">
      <Title order={5}>{t('evidence.custody.title')}</Title>
      <QueryView query={custody} compact keepOnError>
        {(c) =>
          c.items.length === 0 ? (
            <EmptyState compact>{t('evidence.custody.empty')}</EmptyState>
          ) : (
            <Table striped fz="xs" data-testid="evidence-custody">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('evidence.custody.when')}</Table.Th>
                  <Table.Th>{t('evidence.custody.what')}</Table.Th>
                  <Table.Th>{t('evidence.custody.who')}</Table.Th>
                  <Table.Th>{t('evidence.custody.from')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.items.map((e) => {
                  const reason = (e.details as { reason?: unknown } | null)?.reason;
                  return (
                    <Table.Tr key={e.seq} data-testid="evidence-custody-entry" data-action={e.action}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at, i18n.language, true)}</Table.Td>
                      <Table.Td>
                        {t(`auditAction.${e.action}` as 'auditAction.evidence.view', { defaultValue: e.action })}
                        {typeof reason === 'string' ? ` — ${reason}` : ''}
                      </Table.Td>
                      <Table.Td>{e.actor.label}</Table.Td>
                      <Table.Td ff="monospace">{e.ip ?? '—'}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryView>
    </Stack>
  );
}

function Manage({ item, onDeleted }: { item: EvidenceItem; onDeleted: () => void }) {
  const { t } = useTranslation();
  const canManage = useCan('evidence.manage');
  const hold = useHold(item.incidentKey);
  const remove = useDeleteEvidence(item.incidentKey);
  const [reason, setReason] = useState('');
  if (!canManage) return null;
  return (
    <Stack gap="xs" data-testid="evidence-manage">
      <Title order={5}>{t('evidence.hold.title')}</Title>
      <Textarea
        autosize
        minRows={1}
        label={t('evidence.hold.reason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        maxLength={2000}
        data-testid="evidence-hold-reason"
      />
      <Group gap="xs">
        <Button
          size="xs"
          color={item.legalHold ? 'gray' : 'orange'}
          disabled={!reason.trim()}
          loading={hold.isPending}
          onClick={() =>
            hold.mutate(
              { id: item.id, hold: !item.legalHold, reason: reason.trim() },
              { onSuccess: () => setReason('') },
            )
          }
          data-testid="evidence-hold-toggle"
        >
          {item.legalHold ? t('evidence.hold.release') : t('evidence.hold.place')}
        </Button>
        <ConfirmButton
          size="xs"
          color="red"
          variant="light"
          disabled={item.legalHold}
          loading={remove.isPending}
          question={t('evidence.delete.question', { name: item.fileName })}
          onConfirm={() => remove.mutate(item.id, { onSuccess: onDeleted })}
          testId="evidence-delete"
        >
          {t('evidence.delete.button')}
        </ConfirmButton>
      </Group>
      {item.legalHold && (
        <Text size="xs" c="orange" data-testid="evidence-delete-blocked">
          {t('evidence.delete.onHold')}
        </Text>
      )}
      <ProblemAlert error={hold.error ?? remove.error} />
    </Stack>
  );
}
