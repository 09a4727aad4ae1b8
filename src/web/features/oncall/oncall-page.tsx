/** On-call: each schedule's next seven days (week view), its overrides, and the escalation policies. */
import { useState } from 'react';
import { Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime, localInputToIso } from '../../ui/time.js';
import { useUsers } from '../users/users-api.js';
import {
  type Policy,
  type Schedule,
  useAddOverride,
  usePolicies,
  useRemoveOverride,
  useSchedules,
} from './oncall-api.js';
import { NewPolicyForm, NewScheduleForm } from './oncall-forms.js';
import { WeekView } from './week-view.js';

function startOfToday(): Date {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d;
}

function Overrides({ schedule, canManage }: { schedule: Schedule; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const users = useUsers(canManage);
  const add = useAddOverride(schedule.id);
  const remove = useRemoveOverride(schedule.id);
  const [person, setPerson] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const fromIso = localInputToIso(from);
  const toIso = localInputToIso(to);
  return (
    <Stack gap="xs">
      <Title order={4}>{t('oncall.overrides')}</Title>
      {schedule.overrides.length === 0 ? (
        <EmptyState compact>{t('oncall.noOverrides')}</EmptyState>
      ) : (
        <Table data-testid="oncall-overrides">
          <Table.Tbody>
            {schedule.overrides.map((o, i) => (
              <Table.Tr key={`${o.person}-${o.from}`}>
                <Table.Td>{users.data?.find((u) => u.id === o.person)?.name ?? o.person}</Table.Td>
                <Table.Td>
                  {formatDateTime(o.from, i18n.language)} – {formatDateTime(o.to, i18n.language)}
                </Table.Td>
                <Table.Td w={120}>
                  {canManage && (
                    <ConfirmButton
                      size="xs"
                      variant="subtle"
                      color="red"
                      question={t('oncall.removeOverrideQuestion')}
                      onConfirm={() => remove.mutate(i)}
                    >
                      {t('oncall.removeOverride')}
                    </ConfirmButton>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canManage && (
        <Group align="flex-end" gap="xs">
          <Select
            label={t('oncall.person')}
            data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={person}
            onChange={setPerson}
            searchable
            w={200}
            data-testid="override-person"
          />
          <TextInput
            type="datetime-local"
            label={t('oncall.from')}
            data-testid="override-from"
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
          <TextInput
            type="datetime-local"
            label={t('oncall.to')}
            data-testid="override-to"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
          <Button
            disabled={!person || !fromIso || !toIso}
            loading={add.isPending}
            onClick={() => add.mutate({ person: person!, from: fromIso!, to: toIso! })}
            data-testid="override-add"
          >
            {t('oncall.addOverride')}
          </Button>
        </Group>
      )}
      {add.error && <ProblemAlert error={add.error} />}
    </Stack>
  );
}

function PolicyCard({ policy, schedules }: { policy: Policy; schedules: Schedule[] }) {
  const { t } = useTranslation();
  const users = useUsers();
  const targetName = (target: Policy['levels'][number]['targets'][number]) =>
    target.kind === 'schedule'
      ? t('oncall.targetSchedule', {
          name: schedules.find((s) => s.id === target.scheduleId)?.name ?? target.scheduleId,
        })
      : (users.data?.find((u) => u.id === target.personId)?.name ?? target.personId);
  return (
    <Card withBorder data-testid="oncall-policy">
      <Group justify="space-between">
        <Text fw={600}>{policy.name}</Text>
        <Badge variant="light">{t('oncall.repeat', { count: policy.repeat })}</Badge>
      </Group>
      <Stack gap={4} mt="xs">
        {policy.levels.map((level, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: levels are ordered and have no id
          <Group key={i} gap="xs">
            <Badge color="orange">{t('oncall.level', { n: i + 1 })}</Badge>
            <Text size="sm">{level.targets.map(targetName).join(', ')}</Text>
            <Text size="xs" c="dimmed">
              {t('oncall.wait', { minutes: level.waitMinutes })}
            </Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

export function OncallPage() {
  const { t } = useTranslation();
  const allowed = useCan('oncall.read');
  const canManage = useCan('oncall.manage');
  const schedules = useSchedules(allowed);
  const policies = usePolicies(allowed);
  const [start] = useState(startOfToday);
  const [chosen, setChosen] = useState<string | null>(null);
  usePageTitle(t('oncall.title'));
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="oncall-page">
      <Stack gap={4}>
        <Title order={2}>{t('oncall.title')}</Title>
        <Text size="sm" c="dimmed" maw={820}>
          {t('oncall.intro')}
        </Text>
      </Stack>
      <QueryView query={schedules}>
        {(data) => {
          if (data.items.length === 0) return <EmptyState>{t('oncall.noSchedules')}</EmptyState>;
          const schedule = data.items.find((s) => s.id === chosen) ?? data.items[0]!;
          return (
            <Stack gap="md">
              <Group align="flex-end">
                <Select
                  label={t('oncall.schedule')}
                  data={data.items.map((s) => ({ value: s.id, label: s.name }))}
                  value={schedule.id}
                  onChange={setChosen}
                  allowDeselect={false}
                  w={280}
                  data-testid="oncall-schedule"
                />
                <Text size="sm" c="dimmed">
                  {t('oncall.timeZone', { zone: schedule.timeZone })}
                </Text>
                {schedule.feedUrl && (
                  <Text size="xs" ff="monospace" className="tocsin-break">
                    {t('oncall.feed')}: {schedule.feedUrl}
                  </Text>
                )}
              </Group>
              <WeekView scheduleId={schedule.id} start={start} />
              <Overrides schedule={schedule} canManage={canManage} />
            </Stack>
          );
        }}
      </QueryView>
      {canManage && <NewScheduleForm />}
      <Title order={3}>{t('oncall.policies')}</Title>
      <QueryView query={policies}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState>{t('oncall.noPolicies')}</EmptyState>
          ) : (
            <Stack gap="sm">
              {data.items.map((p) => (
                <PolicyCard key={p.id} policy={p} schedules={schedules.data?.items ?? []} />
              ))}
            </Stack>
          )
        }
      </QueryView>
      {canManage && <NewPolicyForm schedules={schedules.data?.items ?? []} />}
    </Stack>
  );
}
