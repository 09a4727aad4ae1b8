/** Upload the extracts, choose the method and its options, run an assessment; bad rows listed with their line. */
import {
  Alert,
  Button,
  Card,
  FileInput,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSESSMENT_METHODS } from '../../../shared/compensation-schemas.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { displayTimeZone } from '../../ui/time.js';
import { METHOD_INPUTS, METHOD_OPTIONS, type Method, methodParameters, type Option } from './assessment-params.js';
import { type InputKind, useAssess } from './compensation-api.js';

export function AssessmentForm({ incidentKey, onRun }: { incidentKey: string; onRun: (runId: string) => void }) {
  const { t } = useTranslation();
  const [method, setMethod] = useState<Method>('outage-price-diff');
  const [files, setFiles] = useState<Partial<Record<InputKind, File | null>>>({});
  const [values, setValues] = useState<Partial<Record<Option, string>>>({});
  const [encoding, setEncoding] = useState<'utf8' | 'gbk'>('utf8');
  const [missing, setMissing] = useState<string | null>(null);
  const assess = useAssess(incidentKey);
  const zone = displayTimeZone();
  const set = (k: Option) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setValues((v) => ({ ...v, [k]: e.target.value }));
  const err = (k: Option) => fieldError(assess.error, `parameters.${k}`);

  function submit() {
    setMissing(null);
    const needed = METHOD_INPUTS[method];
    const chosen = Object.fromEntries(needed.map((k) => [k, files[k]]).filter(([, f]) => f)) as Partial<
      Record<InputKind, File>
    >;
    const lacking = needed.find((k) => !chosen[k]);
    if (lacking) return setMissing(t('comp.assess.needFile', { file: t(`comp.assess.file.${lacking}`) }));
    const parameters = methodParameters(method, values);
    if ('error' in parameters) return setMissing(t('comp.assess.needTime'));
    assess.mutate({ method, files: chosen, parameters, encoding }, { onSuccess: (a) => onRun(a.run.id) });
  }

  return (
    <Card withBorder radius="md" data-testid="assess-form">
      <Stack gap="sm">
        <Title order={4}>{t('comp.assess.title')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('comp.assess.method')}
            data={ASSESSMENT_METHODS.map((m) => ({ value: m, label: t(`comp.method.${m}`) }))}
            value={method}
            onChange={(v) => v && setMethod(v as Method)}
            allowDeselect={false}
            data-testid="assess-method"
          />
          <Select
            label={t('comp.assess.encoding')}
            data={[
              { value: 'utf8', label: 'UTF-8' },
              { value: 'gbk', label: 'GBK' },
            ]}
            value={encoding}
            onChange={(v) => v && setEncoding(v as 'utf8' | 'gbk')}
            allowDeselect={false}
            data-testid="assess-encoding"
          />
          {METHOD_INPUTS[method].map((kind) => (
            <FileInput
              key={kind}
              label={t(`comp.assess.file.${kind}`)}
              description={t(`comp.assess.columns.${kind}`)}
              accept=".csv,text/csv"
              clearable
              value={files[kind] ?? null}
              onChange={(f) => setFiles((x) => ({ ...x, [kind]: f }))}
              data-testid={`assess-file-${kind}`}
            />
          ))}
        </SimpleGrid>
        {method === 'outage-price-diff' && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {(['outageStart', 'outageEnd'] as const).map((k) => (
              <TextInput
                key={k}
                type="datetime-local"
                label={t(`comp.param.${k}`)}
                description={t('comp.assess.inZone', { zone })}
                value={values[k] ?? ''}
                onChange={set(k)}
                error={err(k)}
                data-testid={`assess-${k}`}
              />
            ))}
          </SimpleGrid>
        )}
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {METHOD_OPTIONS[method].map((k) =>
            k === 'dayCount' ? (
              <Select
                key={k}
                label={t('comp.param.dayCount')}
                data={['365', '360']}
                value={values.dayCount ?? '365'}
                onChange={(v) => setValues((x) => ({ ...x, dayCount: v ?? '365' }))}
                allowDeselect={false}
                data-testid="assess-dayCount"
              />
            ) : (
              <TextInput
                key={k}
                label={t(`comp.param.${k}`)}
                inputMode="decimal"
                placeholder={k === 'rate' ? '1.5' : '0.00'}
                rightSection={<Text size="xs">{k === 'rate' ? '%' : t('comp.yuan')}</Text>}
                value={values[k] ?? ''}
                onChange={set(k)}
                error={err(k)}
                data-testid={`assess-${k}`}
              />
            ),
          )}
        </SimpleGrid>
        {missing && (
          <Alert color="yellow" data-testid="assess-missing">
            {missing}
          </Alert>
        )}
        <ProblemAlert error={assess.error} />
        {assess.data && assess.data.problemCount > 0 && (
          <Alert
            color="orange"
            title={t('comp.assess.skipped', { count: assess.data.problemCount })}
            data-testid="assess-problems"
          >
            <List size="sm">
              {assess.data.problems.slice(0, 20).map((p) => (
                <List.Item key={`${p.input}:${p.line}`}>
                  {p.input}:{p.line} — {p.reason}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button onClick={submit} loading={assess.isPending} data-testid="assess-run">
            {t('comp.assess.run')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
