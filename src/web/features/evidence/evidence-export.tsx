/**
 * Export packages for the police or a regulator (issue 15): the chosen items, the recipient, the request
 * of the register it answers (optional) and the purpose make a signed ZIP; the incident's packages are
 * listed with their hash and a download.
 */
import { Button, Modal, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { download } from '../compensation/file-download.js';
import {
  type EvidencePackage,
  packageUrl,
  useExportPackage,
  useIncidentRequests,
  usePackages,
} from './evidence-api.js';
import { formatSize, HashText } from './evidence-parts.js';

export function ExportModal({
  incidentKey,
  itemIds,
  onClose,
}: {
  incidentKey: string;
  itemIds: string[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [recipient, setRecipient] = useState('');
  const [requestId, setRequestId] = useState<string | null>(null);
  const [purpose, setPurpose] = useState('');
  const requests = useIncidentRequests(incidentKey, true);
  const make = useExportPackage(incidentKey);
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('evidence.export.title', { count: itemIds.length })}
      data-testid="evidence-export"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          make.mutate(
            {
              itemIds,
              recipient: recipient.trim(),
              ...(requestId ? { requestId } : {}),
              ...(purpose.trim() ? { purpose: purpose.trim() } : {}),
            },
            { onSuccess: onClose },
          );
        }}
      >
        <Stack gap="xs">
          <TextInput
            required
            label={t('evidence.export.recipient')}
            placeholder={t('evidence.export.recipientHint')}
            value={recipient}
            onChange={(e) => setRecipient(e.currentTarget.value)}
            error={fieldError(make.error, 'recipient')}
            data-testid="evidence-export-recipient"
          />
          <Select
            clearable
            label={t('evidence.export.request')}
            placeholder={t('evidence.export.noRequest')}
            data={(requests.data?.items ?? []).map((r) => ({
              value: r.id,
              label: `${r.requesterName}${r.reference ? ` · ${r.reference}` : ''} · ${r.requested.slice(0, 60)}`,
            }))}
            value={requestId}
            onChange={setRequestId}
            data-testid="evidence-export-request"
          />
          <Textarea
            autosize
            minRows={2}
            label={t('evidence.export.purpose')}
            value={purpose}
            onChange={(e) => setPurpose(e.currentTarget.value)}
            data-testid="evidence-export-purpose"
          />
          <Button
            type="submit"
            disabled={!recipient.trim()}
            loading={make.isPending}
            data-testid="evidence-export-submit"
          >
            {t('evidence.export.submit')}
          </Button>
          <ProblemAlert error={make.error} />
        </Stack>
      </form>
    </Modal>
  );
}

export function PackagesList({ incidentKey }: { incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const packages = usePackages(incidentKey);
  const get = useMutation({
    mutationFn: (p: EvidencePackage) => download(packageUrl(p.id), `${p.incidentKey}-evidence-${p.id}.zip`),
  });
  return (
    <Stack gap="xs" data-testid="evidence-packages">
      <Title order={4}>{t('evidence.packages.title')}</Title>
      {packages.error instanceof ApiError && packages.error.status === 404 ? (
        <EmptyState compact testId="evidence-packages-unavailable">
          {t('evidence.packages.unavailable')}
        </EmptyState>
      ) : (
        <QueryView query={packages} compact keepOnError>
          {(l) =>
            l.items.length === 0 ? (
              <EmptyState compact>{t('evidence.packages.empty')}</EmptyState>
            ) : (
              <Table.ScrollContainer minWidth={640}>
                <Table striped fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('evidence.packages.recipient')}</Table.Th>
                      <Table.Th>{t('evidence.packages.items')}</Table.Th>
                      <Table.Th>SHA-256</Table.Th>
                      <Table.Th>{t('evidence.packages.by')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {l.items.map((p) => (
                      <Table.Tr key={p.id} data-testid="evidence-package">
                        <Table.Td>
                          <Text size="sm">{p.recipient}</Text>
                          {p.purpose && (
                            <Text size="xs" c="dimmed" className="tocsin-break">
                              {p.purpose}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          {p.itemCount} · {formatSize(p.bytes, i18n.language)}
                        </Table.Td>
                        <Table.Td>
                          <HashText value={p.sha256} />
                        </Table.Td>
                        <Table.Td>
                          {p.createdBy?.name ?? '—'} · {formatDateTime(p.createdAt, i18n.language)}
                        </Table.Td>
                        <Table.Td>
                          <Button
                            size="compact-xs"
                            variant="light"
                            loading={get.isPending && get.variables?.id === p.id}
                            onClick={() => get.mutate(p)}
                          >
                            {t('evidence.download')}
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryView>
      )}
      <ProblemAlert error={get.error} />
    </Stack>
  );
}
