/** One audit entry (action and target by name, the code beside), with its before/after state and hashes behind a "details" toggle. */
import { Anchor, Button, Code, SimpleGrid, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AuditEntry } from '../../app/types.js';
import { formatDateTime } from '../../ui/time.js';
import { useAuditNames } from './audit-names.js';

const INCIDENT_KEY = /^INC-\d{4}-\d{4,}$/;

const json = (v: unknown) => (v === undefined || v === null ? '—' : JSON.stringify(v, null, 2));

export function AuditRow({ entry }: { entry: AuditEntry }) {
  const { t, i18n } = useTranslation();
  const [open, { toggle }] = useDisclosure(false);
  const names = useAuditNames();
  const id = entry.targetId;
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
          <Text size="sm" fw={500} data-testid="audit-action-name">
            {names.action(entry.action)}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {entry.action}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm" className="tocsin-break">
            {names.target(entry.targetType)}
            {id && ' · '}
            {id && entry.targetType === 'incident' && INCIDENT_KEY.test(id) ? (
              <Anchor component={Link} to={`/incidents/${encodeURIComponent(id)}`} size="sm" ff="monospace">
                {id}
              </Anchor>
            ) : (
              id && (
                <Text span size="sm" ff="monospace">
                  {id}
                </Text>
              )
            )}
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
