/**
 * The war room's "IOCs" card: the incident's indicators (type, value, confidence, TLP, where they came
 * from, when seen), extraction from the alerts, an analyst's entry, revocation with a reason, the STIX 2.1
 * bundle and MISP event to download, and "Detect in new events": the IOCs as detection rules, with their hits.
 */
import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { IOC_TYPES, TLP_LEVELS } from '../../../shared/ioc-schemas.js';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import {
  type Ioc,
  type IocType,
  mispUrl,
  stixUrl,
  type Tlp,
  useAddIoc,
  useExtractIocs,
  useIncidentIocs,
  useIocDetection,
  useIocRules,
  useRevokeIoc,
} from './ioc-api.js';

const TLP_COLOR: Record<Tlp, string> = {
  clear: 'gray',
  green: 'green',
  amber: 'orange',
  'amber+strict': 'orange',
  red: 'red',
};
/** Rows shown before "show all". */
const FIRST_ROWS = 15;

export function IocCard({ incidentKey }: { incidentKey: string }) {
  const canRead = useCan('ioc.read');
  if (!canRead) return null;
  return <IocList incidentKey={incidentKey} />;
}

function IocList({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const query = useIncidentIocs(incidentKey);
  const canManage = useCan('ioc.manage');
  const extract = useExtractIocs(incidentKey);
  const [all, setAll] = useState(false);
  return (
    <Card withBorder radius="md" data-testid="ioc-card">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={4}>{t('investigation.iocs.title')}</Title>
          <Group gap="sm">
            <Anchor href={stixUrl(incidentKey)} download={`${incidentKey}-stix.json`} size="sm">
              {t('investigation.iocs.stix')}
            </Anchor>
            <Anchor href={mispUrl(incidentKey)} download={`${incidentKey}-misp.json`} size="sm">
              {t('investigation.iocs.misp')}
            </Anchor>
            {canManage && (
              <Button size="xs" variant="light" loading={extract.isPending} onClick={() => extract.mutate(undefined)}>
                {t('investigation.iocs.extract')}
              </Button>
            )}
          </Group>
        </Group>
        {extract.data && (
          <Text size="xs" c="dimmed" data-testid="ioc-extracted">
            {t('investigation.iocs.extracted', { created: extract.data.created, seen: extract.data.seen })}
          </Text>
        )}
        <ProblemAlert error={extract.error} />
        <QueryView query={query} compact keepOnError>
          {({ items }) =>
            items.length === 0 ? (
              <EmptyState compact>{t('investigation.iocs.empty')}</EmptyState>
            ) : (
              <Stack gap={4}>
                <IocTable
                  items={all ? items : items.slice(0, FIRST_ROWS)}
                  incidentKey={incidentKey}
                  canManage={canManage}
                />
                {items.length > FIRST_ROWS && (
                  <Anchor component="button" size="xs" onClick={() => setAll(!all)}>
                    {all ? t('investigation.iocs.fewer') : t('investigation.iocs.all', { count: items.length })}
                  </Anchor>
                )}
              </Stack>
            )
          }
        </QueryView>
        {canManage && <AddIoc incidentKey={incidentKey} />}
        <DetectionRules incidentKey={incidentKey} />
      </Stack>
    </Card>
  );
}

function IocTable({ items, incidentKey, canManage }: { items: Ioc[]; incidentKey: string; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const revoke = useRevokeIoc(incidentKey);
  const date = (s: string) => new Date(s).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <>
      <Table.ScrollContainer minWidth={560}>
        <Table fz="xs" verticalSpacing={4} striped data-testid="ioc-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('investigation.iocs.type')}</Table.Th>
              <Table.Th>{t('investigation.iocs.value')}</Table.Th>
              <Table.Th>{t('investigation.iocs.confidence')}</Table.Th>
              <Table.Th>TLP</Table.Th>
              <Table.Th>{t('investigation.iocs.source')}</Table.Th>
              <Table.Th>{t('investigation.iocs.lastSeen')}</Table.Th>
              {canManage && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((x) => (
              <Table.Tr key={x.id} data-testid="ioc-row" data-type={x.type} opacity={x.revoked ? 0.5 : 1}>
                <Table.Td>{x.type}</Table.Td>
                <Table.Td maw={320} style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                  {x.revoked ? <s>{x.value}</s> : x.value}
                </Table.Td>
                <Table.Td>{x.confidence}</Table.Td>
                <Table.Td>
                  <Badge size="xs" variant="light" color={TLP_COLOR[x.tlp]}>
                    {x.tlp}
                  </Badge>
                </Table.Td>
                <Table.Td>{t(`investigation.iocs.sources.${x.source}`)}</Table.Td>
                <Table.Td>{date(x.lastSeen)}</Table.Td>
                {canManage && (
                  <Table.Td>
                    {!x.revoked && (
                      <Anchor
                        component="button"
                        size="xs"
                        c="red"
                        onClick={() => {
                          const reason = window.prompt(t('investigation.iocs.revokeReason'));
                          if (reason?.trim()) revoke.mutate({ id: x.id, reason: reason.trim() });
                        }}
                      >
                        {t('investigation.iocs.revoke')}
                      </Anchor>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ProblemAlert error={revoke.error} />
    </>
  );
}

function AddIoc({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const [type, setType] = useState<IocType>('ipv4');
  const [value, setValue] = useState('');
  const [confidence, setConfidence] = useState<number>(50);
  const [tlp, setTlp] = useState<Tlp>('amber');
  const add = useAddIoc(incidentKey);
  return (
    <Stack gap="xs">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          label={t('investigation.iocs.type')}
          data={IOC_TYPES.map((x) => ({ value: x, label: x }))}
          value={type}
          onChange={(v) => v && setType(v as IocType)}
          allowDeselect={false}
          w={110}
        />
        <TextInput
          label={t('investigation.iocs.value')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          maxLength={2048}
          w={260}
          data-testid="ioc-value"
        />
        <NumberInput
          label={t('investigation.iocs.confidence')}
          value={confidence}
          onChange={(v) => setConfidence(typeof v === 'number' ? v : 50)}
          min={0}
          max={100}
          w={100}
        />
        <Select
          label="TLP"
          data={TLP_LEVELS.map((x) => ({ value: x, label: x }))}
          value={tlp}
          onChange={(v) => v && setTlp(v as Tlp)}
          allowDeselect={false}
          w={130}
        />
        <Button
          size="sm"
          disabled={!value.trim()}
          loading={add.isPending}
          onClick={() => add.mutate({ type, value: value.trim(), confidence, tlp }, { onSuccess: () => setValue('') })}
        >
          {t('investigation.iocs.add')}
        </Button>
      </Group>
      <ProblemAlert error={add.error} />
    </Stack>
  );
}

function DetectionRules({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canRules = useCan('rule.read');
  const canWrite = useCan('rule.manage');
  const status = useIocDetection(incidentKey, canRules);
  const generate = useIocRules(incidentKey);
  if (!canRules) return null;
  const rules = status.data?.rules ?? [];
  return (
    <Stack gap={4} data-testid="ioc-detection">
      <Group gap="xs" justify="space-between">
        <Text size="sm" fw={600}>
          {t('investigation.iocs.detection')}
        </Text>
        {canWrite && (
          <Button size="xs" variant="light" loading={generate.isPending} onClick={() => generate.mutate({})}>
            {rules.length ? t('investigation.iocs.regenerate') : t('investigation.iocs.generate')}
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {t('investigation.iocs.detectionHint')}
      </Text>
      {rules.map((r) => (
        <Group key={r.id} gap="xs" data-testid="ioc-rule">
          <Anchor component={Link} to={`/rules/${encodeURIComponent(r.id)}`} size="xs">
            {r.title}
          </Anchor>
          <Badge size="xs" variant="light" color={r.hits ? 'red' : 'gray'}>
            {t('investigation.iocs.hits', { count: r.hits })}
          </Badge>
          {!r.enabled && (
            <Badge size="xs" variant="outline" color="gray">
              {t('investigation.iocs.off')}
            </Badge>
          )}
        </Group>
      ))}
      {generate.data && generate.data.leftOut > 0 && (
        <Text size="xs" c="orange">
          {t('investigation.iocs.leftOut', { count: generate.data.leftOut })}
        </Text>
      )}
      <ProblemAlert error={generate.error} />
    </Stack>
  );
}
