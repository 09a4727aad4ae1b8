/** An alert's events as a table (time in the viewer's zone, source, log source, account, IP, host, details); each row opens to its JSON. */
import { Fragment, useState } from 'react';
import { Code, Table, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AlertEvent } from '../../app/types.js';
import { keyed } from '../../ui/keys.js';
import { formatDateTime } from '../../ui/time.js';
import { eventColumns } from './event-columns.js';

const COLUMNS = 8;
/** Rows stay one line high: 20 events fit on a laptop screen and a half. */
const ONE_LINE = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;

function EventRow({ event }: { event: AlertEvent }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const c = eventColumns(event.fields);
  const logsource = Object.values(event.logsource).join(' / ');
  const toggle = () => setOpen((o) => !o);
  return (
    <Fragment>
      <Table.Tr data-testid="alert-event" data-open={open} onClick={toggle} style={{ cursor: 'pointer' }}>
        <Table.Td w={28} p={0} ta="center">
          <UnstyledButton
            onClick={(e) => {
              e.stopPropagation();
              toggle();
            }}
            aria-expanded={open}
            aria-label={open ? t('alerts.hideEvent') : t('alerts.showEvent')}
            title={open ? t('alerts.hideEvent') : t('alerts.showEvent')}
            fz="sm"
            px={6}
            data-testid="alert-event-toggle"
          >
            {open ? '▾' : '▸'}
          </UnstyledButton>
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <time dateTime={event.time}>{formatDateTime(event.time, i18n.language, true)}</time>
        </Table.Td>
        <Table.Td style={{ ...ONE_LINE, maxWidth: 140 }} title={event.source}>
          {event.source}
        </Table.Td>
        <Table.Td style={ONE_LINE} title={logsource}>
          {logsource || '—'}
        </Table.Td>
        <Table.Td
          ff="monospace"
          style={{ ...ONE_LINE, maxWidth: 200 }}
          title={c.account}
          data-testid="alert-event-account"
        >
          {c.account}
        </Table.Td>
        <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }} data-testid="alert-event-ip">
          {c.ip}
        </Table.Td>
        <Table.Td ff="monospace" style={{ ...ONE_LINE, maxWidth: 180 }} title={c.host}>
          {c.host}
        </Table.Td>
        {/* the rest of the row's width, one line; the whole text on hover and in the JSON */}
        <Table.Td
          c="dimmed"
          style={{ ...ONE_LINE, width: '100%', maxWidth: 0 }}
          title={c.details}
          data-testid="alert-event-details"
        >
          {event.truncated && (
            <Text span size="xs" c="orange.8">
              {t('alerts.truncated')}{' '}
            </Text>
          )}
          {c.details}
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr data-testid="alert-event-expanded">
          <Table.Td colSpan={COLUMNS} p={0}>
            <Text size="xs" c="dimmed" px="xs" pt={4} className="tocsin-break">
              {event.id}
            </Text>
            <Code
              block
              style={{ maxHeight: 360, overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              data-testid="alert-event-json"
            >
              {typeof event.fields === 'string' ? event.fields : JSON.stringify(event.fields, null, 2)}
            </Code>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

export function AlertEventsTable({ events }: { events: AlertEvent[] }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table
        fz="xs"
        verticalSpacing={2}
        horizontalSpacing={6}
        highlightOnHover
        styles={{ th: { whiteSpace: 'nowrap' } }}
        data-testid="alert-events-table"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th>{t('alerts.eventCol.time')}</Table.Th>
            <Table.Th>{t('alerts.eventCol.source')}</Table.Th>
            <Table.Th>{t('alerts.eventCol.logsource')}</Table.Th>
            <Table.Th>{t('alerts.eventCol.account')}</Table.Th>
            <Table.Th>{t('alerts.eventCol.ip')}</Table.Th>
            <Table.Th>{t('alerts.eventCol.host')}</Table.Th>
            <Table.Th>{t('alerts.eventCol.details')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keyed(events, (e) => `${e.id}-${e.time}`).map(({ key, item }) => (
            <EventRow key={key} event={item} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
