/**
 * An incident's evidence locker at /incidents/:key/evidence (issue 15): the items with their hashes,
 * flags and who added them; the upload form and export packages for those who manage evidence (auditors
 * read); an item opens in a drawer with its safe preview and chain of custody.
 */
import { Anchor, Button, Checkbox, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { IncidentSubpageHeader } from '../war-room/incident-subpage-header.js';
import { type EvidenceItem, useEvidenceList } from './evidence-api.js';
import { EvidenceDrawer } from './evidence-drawer.js';
import { ExportModal, PackagesList } from './evidence-export.js';
import { formatSize, HashText, ItemBadges } from './evidence-parts.js';
import { EvidenceUploadForm } from './evidence-upload-form.js';

export function EvidencePage() {
  const { key = '' } = useParams();
  const { t, i18n } = useTranslation();
  const canRead = useCan('evidence.read');
  const canManage = useCan('evidence.manage');
  const list = useEvidenceList(key);
  const [openId, setOpenId] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [exporting, setExporting] = useState(false);
  usePageTitle(`${key} · ${t('evidence.title')}`);
  if (!canRead) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="evidence-page" data-key={key}>
      <IncidentSubpageHeader
        incidentKey={key}
        title={t('evidence.title')}
        back={t('evidence.back', { key })}
        backTestId="evidence-back"
        intro={t('evidence.intro')}
      />
      {canManage && <EvidenceUploadForm incidentKey={key} onAdded={(i) => setOpenId(i.id)} />}
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={4}>{t('evidence.items')}</Title>
            {canManage && (
              <Button
                size="xs"
                disabled={picked.length === 0}
                onClick={() => setExporting(true)}
                data-testid="evidence-export-open"
              >
                {t('evidence.export.button', { count: picked.length })}
              </Button>
            )}
          </Group>
          <QueryView query={list} keepOnError>
            {(l) =>
              l.items.length === 0 ? (
                <EmptyState testId="evidence-empty">{t('evidence.empty')}</EmptyState>
              ) : (
                <ItemTable
                  items={l.items}
                  picked={picked}
                  canPick={canManage}
                  onPick={setPicked}
                  onOpen={setOpenId}
                  locale={i18n.language}
                />
              )
            }
          </QueryView>
        </Stack>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <PackagesList incidentKey={key} />
      </Paper>
      {openId && <EvidenceDrawer id={openId} onClose={() => setOpenId(null)} />}
      {exporting && (
        <ExportModal
          incidentKey={key}
          itemIds={picked}
          onClose={() => {
            setExporting(false);
            setPicked([]);
          }}
        />
      )}
    </Stack>
  );
}

function ItemTable({
  items,
  picked,
  canPick,
  onPick,
  onOpen,
  locale,
}: {
  items: EvidenceItem[];
  picked: string[];
  canPick: boolean;
  onPick: (ids: string[]) => void;
  onOpen: (id: string) => void;
  locale: string;
}) {
  const { t } = useTranslation();
  const all = items.length > 0 && picked.length === items.length;
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover data-testid="evidence-list">
        <Table.Thead>
          <Table.Tr>
            {canPick && (
              <Table.Th w={32}>
                <Checkbox
                  aria-label={t('evidence.pickAll')}
                  checked={all}
                  indeterminate={picked.length > 0 && !all}
                  onChange={() => onPick(all ? [] : items.map((i) => i.id))}
                />
              </Table.Th>
            )}
            <Table.Th>{t('evidence.field.name')}</Table.Th>
            <Table.Th>{t('evidence.field.kind')}</Table.Th>
            <Table.Th ta="right">{t('evidence.field.size')}</Table.Th>
            <Table.Th>SHA-256</Table.Th>
            <Table.Th>MD5</Table.Th>
            <Table.Th>{t('evidence.field.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((i) => (
            <Table.Tr key={i.id} data-testid="evidence-item" data-id={i.id}>
              {canPick && (
                <Table.Td>
                  <Checkbox
                    aria-label={t('evidence.pick', { name: i.fileName })}
                    checked={picked.includes(i.id)}
                    onChange={(e) =>
                      onPick(e.currentTarget.checked ? [...picked, i.id] : picked.filter((x) => x !== i.id))
                    }
                    data-testid="evidence-pick"
                  />
                </Table.Td>
              )}
              <Table.Td>
                <Stack gap={2}>
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    ta="left"
                    className="tocsin-break"
                    onClick={() => onOpen(i.id)}
                    data-testid="evidence-item-open"
                  >
                    {i.fileName}
                  </Anchor>
                  <ItemBadges item={i} />
                </Stack>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{t(`evidence.kind.${i.kind}`)}</Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="xs" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {formatSize(i.bytes, locale)}
                </Text>
              </Table.Td>
              <Table.Td>
                <HashText value={i.sha256} testId="evidence-sha256" />
              </Table.Td>
              <Table.Td>
                <HashText value={i.md5} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{i.uploadedBy?.name ?? t('evidence.cli')}</Text>
                <Text size="xs" c="dimmed">
                  {formatDateTime(i.createdAt, locale)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
