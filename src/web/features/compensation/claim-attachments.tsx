/**
 * The claim drawer's "Attachments": the files the customer (on the portal) or staff attached, each
 * downloadable (the server audits every download), and an upload for those who manage compensation.
 */
import { ActionIcon, Button, FileInput, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_TYPES,
  ATTACHMENTS_PER_UPLOAD,
} from '../../../shared/compensation-filing-schemas.js';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import {
  attachmentUrl,
  type ClaimAttachment,
  formatBytes,
  uploadProblem,
  useClaimAttachments,
  useUploadAttachments,
} from './compensation-filing-api.js';
import { download } from './file-download.js';

const TYPE_LABELS: Record<ClaimAttachment['mediaType'], string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
  'text/plain': 'TXT',
};

export function ClaimAttachments({ claimId }: { claimId: string }) {
  const { t } = useTranslation();
  const list = useClaimAttachments(claimId);
  const canManage = useCan('compensation.manage');
  return (
    <Stack gap="xs" data-testid="claim-attachments">
      <Title order={5}>
        {t('comp.attachments.title')}
        {list.data ? ` (${list.data.length})` : ''}
      </Title>
      <QueryView query={list} compact keepOnError>
        {(items) =>
          items.length === 0 ? (
            <EmptyState compact testId="claim-attachments-empty">
              {t('comp.attachments.empty')}
            </EmptyState>
          ) : (
            <AttachmentTable claimId={claimId} items={items} />
          )
        }
      </QueryView>
      {canManage && <Upload claimId={claimId} already={list.data?.length ?? 0} />}
    </Stack>
  );
}

function AttachmentTable({ claimId, items }: { claimId: string; items: ClaimAttachment[] }) {
  const { t, i18n } = useTranslation();
  const get = useMutation({
    mutationFn: (a: ClaimAttachment) => download(attachmentUrl(claimId, a.id), a.fileName),
  });
  return (
    <>
      <Table.ScrollContainer minWidth={600}>
        <Table striped data-testid="claim-attachment-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('comp.attachments.file')}</Table.Th>
              <Table.Th>{t('comp.attachments.type')}</Table.Th>
              <Table.Th ta="right">{t('comp.attachments.size')}</Table.Th>
              <Table.Th>{t('comp.attachments.by')}</Table.Th>
              <Table.Th>SHA-256</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((a) => (
              <Table.Tr key={a.id} data-testid="claim-attachment" data-id={a.id} data-channel={a.channel}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap" align="flex-start">
                    <ActionIcon
                      size="sm"
                      variant="light"
                      loading={get.isPending && get.variables?.id === a.id}
                      onClick={() => get.mutate(a)}
                      aria-label={t('comp.attachments.download', { name: a.fileName })}
                      title={t('comp.attachments.download', { name: a.fileName })}
                      data-testid="claim-attachment-download"
                    >
                      ↓
                    </ActionIcon>
                    <Text size="sm" className="tocsin-break" data-testid="claim-attachment-name">
                      {a.fileName}
                    </Text>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{TYPE_LABELS[a.mediaType] ?? a.mediaType}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="xs" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {formatBytes(a.bytes, i18n.language)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{a.uploadedBy ? (a.uploadedBy.name ?? '—') : t('comp.attachments.customer')}</Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(a.createdAt, i18n.language)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" title={a.sha256} data-testid="claim-attachment-sha">
                    {a.sha256.slice(0, 12)}…
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ProblemAlert error={get.error} />
    </>
  );
}

function Upload({ claimId, already }: { claimId: string; already: number }) {
  const { t } = useTranslation();
  const [files, setFiles] = useState<File[]>([]);
  const upload = useUploadAttachments(claimId);
  const problem = uploadProblem(files, already);
  return (
    <Stack gap="xs" data-testid="claim-attachment-upload">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <FileInput
          multiple
          clearable
          label={t('comp.attachments.choose')}
          description={t('comp.attachments.hint', {
            n: ATTACHMENTS_PER_UPLOAD,
            max: ATTACHMENT_MAX_BYTES / (1024 * 1024),
          })}
          placeholder={t('comp.attachments.placeholder')}
          accept={ATTACHMENT_TYPES.join(',')}
          value={files}
          onChange={(v) => {
            upload.reset();
            setFiles(v);
          }}
          error={problem ? t(`comp.attachments.${problem.key}`, { name: problem.name, max: problem.max }) : undefined}
          miw={260}
          style={{ flex: 1 }}
          data-testid="claim-attachment-files"
        />
        <Button
          disabled={files.length === 0 || problem !== null}
          loading={upload.isPending}
          onClick={() => upload.mutate(files, { onSuccess: () => setFiles([]) })}
          data-testid="claim-attachment-submit"
        >
          {t('comp.attachments.upload')}
        </Button>
      </Group>
      <ProblemAlert error={upload.error} />
    </Stack>
  );
}
