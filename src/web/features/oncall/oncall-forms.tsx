/**
 * Making on-call schedules and escalation policies in the console (those allowed to manage on-call): a
 * schedule of one rotation (daily or weekly, hand-off time, first date, people in turn order), and a
 * policy of levels (people or schedules, minutes to wait) with repeats. The server checks each.
 */
import { useState } from 'react';
import { Button, Group, MultiSelect, NumberInput, Select, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useUsers } from '../users/users-api.js';
import type { Policy, Schedule } from './oncall-api.js';

function useCreate<T>(path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => api<T>(path, { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.oncall }),
  });
}

export function NewScheduleForm() {
  const { t } = useTranslation();
  const users = useUsers();
  const create = useCreate<Schedule>('/oncall/schedules');
  const [name, setName] = useState('');
  const [rotation, setRotation] = useState<'daily' | 'weekly'>('daily');
  const [people, setPeople] = useState<string[]>([]);
  const [handoff, setHandoff] = useState('09:00');
  const [startDate, setStartDate] = useState(new Date().toISOString().slice(0, 10));
  const submit = () =>
    create.mutate(
      { name, layers: [{ rotation, participants: people, handoffTime: handoff, startDate }] },
      { onSuccess: () => setName('') },
    );
  return (
    <Stack gap="xs" data-testid="schedule-form">
      <Title order={4}>{t('oncall.newSchedule')}</Title>
      <Group align="flex-end" gap="xs">
        <TextInput
          label={t('oncall.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          w={220}
          data-testid="schedule-name"
        />
        <Select
          label={t('oncall.rotation')}
          data={[
            { value: 'daily', label: t('oncall.daily') },
            { value: 'weekly', label: t('oncall.weekly') },
          ]}
          value={rotation}
          onChange={(v) => v && setRotation(v as 'daily' | 'weekly')}
          allowDeselect={false}
          w={120}
        />
        <MultiSelect
          label={t('oncall.people')}
          data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={people}
          onChange={setPeople}
          searchable
          w={300}
          data-testid="schedule-people"
        />
        <TextInput
          type="time"
          label={t('oncall.handoff')}
          value={handoff}
          onChange={(e) => setHandoff(e.currentTarget.value)}
          // Wide enough for a 12-hour browser's "09:00 AM" and its clock button.
          w={140}
        />
        <TextInput
          type="date"
          label={t('oncall.startDate')}
          value={startDate}
          onChange={(e) => setStartDate(e.currentTarget.value)}
          w={160}
        />
        <Button
          disabled={!name.trim() || people.length === 0}
          loading={create.isPending}
          onClick={submit}
          data-testid="schedule-create"
        >
          {t('oncall.create')}
        </Button>
      </Group>
      <ProblemAlert error={create.error} />
    </Stack>
  );
}

interface LevelDraft {
  targets: string[];
  waitMinutes: number;
}

/** Targets are `person:<id>` or `schedule:<id>` in the form, the API's `{ kind, ... }` when sent. */
const toTarget = (v: string) =>
  v.startsWith('schedule:') ? { kind: 'schedule', scheduleId: v.slice(9) } : { kind: 'person', personId: v.slice(7) };

export function NewPolicyForm({ schedules }: { schedules: Schedule[] }) {
  const { t } = useTranslation();
  const users = useUsers();
  const create = useCreate<Policy>('/oncall/policies');
  const [name, setName] = useState('');
  const [repeat, setRepeat] = useState(0);
  const [levels, setLevels] = useState<LevelDraft[]>([{ targets: [], waitMinutes: 5 }]);
  const options = [
    { group: t('oncall.schedules'), items: schedules.map((s) => ({ value: `schedule:${s.id}`, label: s.name })) },
    { group: t('oncall.people'), items: (users.data ?? []).map((u) => ({ value: `person:${u.id}`, label: u.name })) },
  ];
  const setLevel = (i: number, patch: Partial<LevelDraft>) =>
    setLevels((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const submit = () =>
    create.mutate(
      {
        name,
        repeat,
        levels: levels.map((l) => ({ targets: l.targets.map(toTarget), waitMinutes: l.waitMinutes })),
      },
      { onSuccess: () => setName('') },
    );
  return (
    <Stack gap="xs" data-testid="policy-form">
      <Title order={4}>{t('oncall.newPolicy')}</Title>
      <Group align="flex-end" gap="xs">
        <TextInput
          label={t('oncall.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          w={220}
          data-testid="policy-name"
        />
        <NumberInput
          label={t('oncall.repeats')}
          value={repeat}
          onChange={(v) => setRepeat(Number(v) || 0)}
          min={0}
          max={10}
          w={110}
        />
      </Group>
      {levels.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: levels are ordered and have no id
        <Group key={i} align="flex-end" gap="xs" data-testid="policy-level">
          <MultiSelect
            label={t('oncall.level', { n: i + 1 })}
            data={options}
            value={l.targets}
            onChange={(v) => setLevel(i, { targets: v })}
            searchable
            w={360}
          />
          <NumberInput
            label={t('oncall.waitMinutes')}
            value={l.waitMinutes}
            onChange={(v) => setLevel(i, { waitMinutes: Number(v) || 1 })}
            min={1}
            max={1440}
            w={130}
          />
        </Group>
      ))}
      <Group gap="xs">
        <Button
          variant="light"
          onClick={() => setLevels((ls) => [...ls, { targets: [], waitMinutes: 10 }])}
          data-testid="policy-add-level"
        >
          {t('oncall.addLevel')}
        </Button>
        <Button
          disabled={!name.trim() || levels.some((l) => l.targets.length === 0)}
          loading={create.isPending}
          onClick={submit}
          data-testid="policy-create"
        >
          {t('oncall.create')}
        </Button>
      </Group>
      <ProblemAlert error={create.error} />
    </Stack>
  );
}
