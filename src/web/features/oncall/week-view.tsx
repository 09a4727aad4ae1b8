/** Who is on call over the next seven days: a row per day, a cell per three-hour block, in the viewer's zone. */
import { Badge, Box, Group, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryView } from '../../ui/query-view.js';
import { type Shift, useShifts } from './oncall-api.js';

const BLOCK_HOURS = 3;
/** The hours each block starts at: 0, 3, … 21. */
const BLOCK_STARTS = Array.from({ length: 24 / BLOCK_HOURS }, (_, i) => i * BLOCK_HOURS);
const PALETTE = ['#d0ebff', '#d3f9d8', '#fff3bf', '#ffe3e3', '#e5dbff', '#c5f6fa', '#ffe8cc', '#f3f0ff'];

/** A stable colour per person, in the order they first appear. */
function colours(shifts: readonly Shift[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const s of shifts) if (!map.has(s.person)) map.set(s.person, PALETTE[map.size % PALETTE.length]!);
  return map;
}

/** The shift covering instant `t`, if any. */
const shiftAt = (shifts: readonly Shift[], t: number) =>
  shifts.find((s) => Date.parse(s.start) <= t && t < Date.parse(s.end));

export function WeekView({ scheduleId, start }: { scheduleId: string; start: Date }) {
  const { t, i18n } = useTranslation();
  const end = new Date(start.getTime());
  end.setDate(end.getDate() + 7);
  const shifts = useShifts(scheduleId, start, end);
  const days = Array.from({ length: 7 }, (_, i) => {
    const d = new Date(start.getTime());
    d.setDate(d.getDate() + i);
    return d;
  });
  const dayLabel = new Intl.DateTimeFormat(i18n.language, { weekday: 'short', month: 'numeric', day: 'numeric' });
  return (
    <QueryView query={shifts}>
      {(data) => {
        const colour = colours(data.items);
        return (
          <Box>
            <Table.ScrollContainer minWidth={760}>
              <Table withTableBorder withColumnBorders data-testid="oncall-week" layout="fixed">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={110}>{t('oncall.day')}</Table.Th>
                    {BLOCK_STARTS.map((hour) => (
                      <Table.Th key={hour} ta="center">
                        <Text size="xs">{`${String(hour).padStart(2, '0')}:00`}</Text>
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {days.map((day) => (
                    <Table.Tr key={day.toISOString()} data-testid="oncall-day">
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {dayLabel.format(day)}
                        </Text>
                      </Table.Td>
                      {BLOCK_STARTS.map((hour) => {
                        const at = new Date(day.getTime());
                        at.setHours(hour);
                        const s = shiftAt(data.items, at.getTime());
                        return (
                          <Table.Td
                            key={hour}
                            p={4}
                            data-testid="oncall-cell"
                            data-person={s?.personName ?? ''}
                            style={{
                              background: s ? colour.get(s.person) : undefined,
                              outline: s?.override ? '2px dashed #e8590c' : undefined,
                              outlineOffset: -3,
                            }}
                          >
                            {s && (
                              <Tooltip label={s.override ? t('oncall.overrideShift') : t('oncall.rotationShift')}>
                                <Text size="xs" lineClamp={2} ta="center">
                                  {s.personName ?? s.person}
                                </Text>
                              </Tooltip>
                            )}
                          </Table.Td>
                        );
                      })}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group gap="xs" mt="xs">
              {[...colour.entries()].map(([person, c]) => (
                <Badge key={person} variant="outline" color="dark" tt="none" style={{ background: c }}>
                  {data.items.find((s) => s.person === person)?.personName ?? person}
                </Badge>
              ))}
              <Text size="xs" c="dimmed">
                {t('oncall.legend')}
              </Text>
            </Group>
          </Box>
        );
      }}
    </QueryView>
  );
}
