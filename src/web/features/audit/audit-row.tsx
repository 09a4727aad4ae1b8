/** One audit entry, with its before/after state and hashes behind a "details" toggle. */
import { Button, Code, SimpleGrid, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../app/types.js';
import { formatDateTime } from '../../ui/time.js';

const json = (v: unknown) => (v === undefined || v === null ? '—' : JSON.stringify(v, null, 2));

export function AuditRow({ entry }: { entry: AuditEntry }) {
  const { t, i18n } = useTranslation();
  const [open, { toggle }] = useDisclosure(false);
  return (
    <>
      <Table.Tr data-testid="audit-row" data-seq={entry.seq}>
        <Table.Td ff="monospace">{entry.seq}</Table.Td>
        <Table.Td>
          <Text size="xs">{formatDateTime(entry.at, i18n.language, true)}</Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{entry.actor.label}</Text>
        </Table.Td>
        <Table.Td>
          <Code>{entry.action}</Code>
        </Table.Td>
        <Table.Td>
          <Text size="sm" className="tocsin-break">
            {entry.targetType}
            {entry.targetId ? ` · ${entry.targetId}` : ''}
          </Text>
        </Table.Td>
        <Table.Td>
          <Button size="compact-xs" variant="subtle" onClick={toggle}>
            {open ? t('audit.hide') : t('audit.details')}
          </Button>
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr>
          <Table.Td colSpan={6}>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs">
              <div>
                <Text size="xs" c="dimmed">
                  {t('audit.before')}
                </Text>
                <Code block>{json(entry.before)}</Code>
              </div>
              <div>
                <Text size="xs" c="dimmed">
                  {t('audit.after')}
                </Text>
                <Code block>{json(entry.after)}</Code>
              </div>
            </SimpleGrid>
            <Text size="xs" c="dimmed" mt="xs" ff="monospace" className="tocsin-break">
              {t('audit.hash')}: {entry.hash} · {t('audit.prevHash')}: {entry.prevHash}
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}
