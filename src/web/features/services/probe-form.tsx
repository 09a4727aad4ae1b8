/** The form to add an HTTP or TCP probe to a service. */
import { useState, type FormEvent } from 'react';
import { Button, Group, NumberInput, SegmentedControl, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { useCreateProbe, type ProbeInput } from './services-api.js';

/** "200-299, 301" to status matchers; undefined when empty, null when malformed. */
export function parseStatuses(text: string): (number | [number, number])[] | undefined | null {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return undefined;
  const out: (number | [number, number])[] = [];
  for (const p of parts) {
    const m = /^(\d{3})(?:\s*[-–]\s*(\d{3}))?$/.exec(p);
    if (!m) return null;
    out.push(m[2] ? [Number(m[1]), Number(m[2])] : Number(m[1]));
  }
  return out;
}

export function ProbeForm({ serviceKey, onDone }: { serviceKey: string; onDone: () => void }) {
  const { t } = useTranslation();
  const create = useCreateProbe();
  const [kind, setKind] = useState<'http' | 'tcp'>('http');
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [intervalS, setIntervalS] = useState<number | string>(60);
  const [timeoutMs, setTimeoutMs] = useState<number | string>(5000);
  const [status, setStatus] = useState('');
  const [bodyContains, setBodyContains] = useState('');
  const [maxLatency, setMaxLatency] = useState<number | string>('');
  const statuses = parseStatuses(status);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const expect: ProbeInput['expect'] = {};
    if (kind === 'http' && statuses) expect.status = statuses;
    if (kind === 'http' && bodyContains) expect.bodyContains = bodyContains;
    if (maxLatency !== '') expect.maxLatencyMs = Number(maxLatency);
    create.mutate(
      {
        serviceKey,
        name: name.trim(),
        kind,
        target: target.trim(),
        intervalS: Number(intervalS),
        timeoutMs: Number(timeoutMs),
        expect,
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form onSubmit={submit} data-testid="probe-form">
      <Stack gap="xs">
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as 'http' | 'tcp')}
          data={[
            { value: 'http', label: 'HTTP' },
            { value: 'tcp', label: 'TCP' },
          ]}
          data-testid="probe-kind"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <TextInput
            label={t('probes.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(create.error, 'name')}
            data-testid="probe-name"
          />
          <TextInput
            label={t('probes.target')}
            required
            placeholder={kind === 'http' ? 'https://trade.example.internal/health' : 'db.example.internal:5432'}
            value={target}
            onChange={(e) => setTarget(e.currentTarget.value)}
            description={t('probes.targetHint')}
            error={fieldError(create.error, 'target')}
            data-testid="probe-target"
          />
          <NumberInput
            label={t('probes.intervalS')}
            min={5}
            value={intervalS}
            onChange={setIntervalS}
            error={fieldError(create.error, 'intervalS')}
            data-testid="probe-interval"
          />
          <NumberInput
            label={t('probes.timeoutMs')}
            min={100}
            step={500}
            value={timeoutMs}
            onChange={setTimeoutMs}
            error={fieldError(create.error, 'timeoutMs')}
            data-testid="probe-timeout"
          />
          {kind === 'http' && (
            <>
              <TextInput
                label={t('probes.status')}
                placeholder="200-299"
                value={status}
                onChange={(e) => setStatus(e.currentTarget.value)}
                error={statuses === null ? t('probes.statusHint') : fieldError(create.error, 'expect.status')}
                data-testid="probe-status"
              />
              <TextInput
                label={t('probes.bodyContains')}
                value={bodyContains}
                onChange={(e) => setBodyContains(e.currentTarget.value)}
                error={fieldError(create.error, 'expect.bodyContains')}
                data-testid="probe-body"
              />
            </>
          )}
          <NumberInput
            label={t('probes.maxLatencyMs')}
            min={1}
            value={maxLatency}
            onChange={setMaxLatency}
            error={fieldError(create.error, 'expect.maxLatencyMs')}
            data-testid="probe-max-latency"
          />
        </SimpleGrid>
        <ProblemAlert error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" size="xs" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            size="xs"
            disabled={!name.trim() || !target.trim() || statuses === null}
            loading={create.isPending}
            data-testid="probe-submit"
          >
            {t('probes.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
