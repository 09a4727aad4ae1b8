/** SLA days per severity and the asset -> service mapping rules: read by all who read findings, changed by managers. */
import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VulnSla } from '../../../shared/vulnerability-schemas.js';
import { useCan } from '../../app/session.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { useAddMapping, useMappings, useRemoveMapping, useSetSla, useSla } from './vuln-api.js';

const LEVELS = ['critical', 'high', 'medium', 'low'] as const;

export function VulnSettings() {
  const { t } = useTranslation();
  const sla = useSla();
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Paper withBorder p="md" radius="md" data-testid="vuln-sla">
        <Title order={5} mb="xs">
          {t('vulns.settings.sla')}
        </Title>
        <QueryView query={sla} compact>
          {(s) => <SlaForm key={LEVELS.map((l) => s[l]).join('-')} sla={s} />}
        </QueryView>
      </Paper>
      <Paper withBorder p="md" radius="md" data-testid="vuln-mappings">
        <Title order={5} mb="xs">
          {t('vulns.settings.mappings')}
        </Title>
        <Mappings />
      </Paper>
    </SimpleGrid>
  );
}

function SlaForm({ sla }: { sla: VulnSla }) {
  const { t } = useTranslation();
  const canManage = useCan('vulnerability.manage');
  const [days, setDays] = useState<VulnSla>(sla);
  const save = useSetSla();
  return (
    <Stack gap="xs">
      <Group gap="xs" wrap="wrap">
        {LEVELS.map((l) => (
          <NumberInput
            key={l}
            label={t(`vulns.severity.${l}`)}
            suffix={` ${t('vulns.settings.days')}`}
            min={1}
            max={3650}
            w={120}
            value={days[l]}
            readOnly={!canManage}
            onChange={(v) => setDays((d) => ({ ...d, [l]: typeof v === 'number' ? v : Number(v) || 1 }))}
            data-testid={`vuln-sla-${l}`}
          />
        ))}
      </Group>
      {canManage && (
        <Group>
          <Button size="xs" onClick={() => save.mutate(days)} loading={save.isPending} data-testid="vuln-sla-save">
            {t('vulns.settings.save')}
          </Button>
        </Group>
      )}
      {save.error ? <ProblemAlert error={save.error} /> : null}
    </Stack>
  );
}

function Mappings() {
  const { t } = useTranslation();
  const canManage = useCan('vulnerability.manage');
  const list = useMappings();
  const add = useAddMapping();
  const remove = useRemoveMapping();
  const [pattern, setPattern] = useState('');
  const [serviceKey, setServiceKey] = useState('');
  return (
    <Stack gap="xs">
      <QueryView query={list} compact>
        {({ items }) =>
          items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('vulns.settings.noMappings')}
            </Text>
          ) : (
            <Table verticalSpacing={2}>
              <Table.Tbody>
                {items.map((m) => (
                  <Table.Tr key={m.id} data-testid="vuln-mapping">
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {m.pattern}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">→ {m.serviceKey}</Text>
                    </Table.Td>
                    {canManage && (
                      <Table.Td w={40}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('vulns.settings.remove')}
                          onClick={() => remove.mutate(m.id)}
                        >
                          ×
                        </ActionIcon>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryView>
      {canManage && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(
              { pattern, serviceKey },
              {
                onSuccess: () => {
                  setPattern('');
                  setServiceKey('');
                },
              },
            );
          }}
        >
          <Group gap="xs" align="flex-end">
            <TextInput
              label={t('vulns.settings.pattern')}
              placeholder="trade-gw-*"
              value={pattern}
              onChange={(e) => setPattern(e.currentTarget.value)}
              error={fieldError(add.error, 'pattern')}
              w={180}
            />
            <TextInput
              label={t('vulns.settings.serviceKey')}
              placeholder="online-trading"
              value={serviceKey}
              onChange={(e) => setServiceKey(e.currentTarget.value)}
              error={fieldError(add.error, 'serviceKey')}
              w={160}
            />
            <Button type="submit" size="xs" disabled={!pattern.trim() || !serviceKey.trim()} loading={add.isPending}>
              {t('vulns.settings.add')}
            </Button>
          </Group>
        </form>
      )}
    </Stack>
  );
}
