/** Connectors (admins manage, responders and commanders read): kind, where it reaches, which secrets are set, "Test connection". */
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Connector, ConnectorKindInfo, ConnectorTestResult } from '../../../shared/connector-schemas.js';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { pick } from '../../ui/localized.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { ConnectorForm } from './connector-form.js';
import {
  useConnectorKinds,
  useConnectors,
  useDeleteConnector,
  useEnableConnector,
  useTestConnector,
} from './connectors-api.js';

function Row({ c, kinds, canManage }: { c: Connector; kinds: ConnectorKindInfo[]; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const test = useTestConnector();
  const remove = useDeleteConnector();
  const enable = useEnableConnector();
  const [result, setResult] = useState<ConnectorTestResult | null>(null);
  const kind = kinds.find((k) => k.kind === c.kind);
  return (
    <>
      <Table.Tr data-testid="connector-row" data-name={c.name}>
        <Table.Td>
          <Text size="sm" ff="monospace" fw={500}>
            {c.name}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{kind ? pick(kind.title, i18n.language, c.kind) : c.kind}</Text>
        </Table.Td>
        <Table.Td>
          <Text size="xs" ff="monospace" className="tocsin-break">
            {c.allowedHosts.join(', ') || '—'}
          </Text>
        </Table.Td>
        <Table.Td>
          <Group gap={4}>
            {c.secretsSet.length === 0 ? (
              <Text size="xs" c="dimmed">
                {t('connectors.noSecrets')}
              </Text>
            ) : (
              c.secretsSet.map((s) => (
                <Badge key={s} size="sm" variant="light" color="teal" tt="none" data-testid="connector-secret-set">
                  {t('connectors.secretSet', { name: s })}
                </Badge>
              ))
            )}
          </Group>
        </Table.Td>
        <Table.Td>
          {canManage ? (
            <Switch
              size="xs"
              checked={c.enabled}
              disabled={enable.isPending}
              onChange={(e) => enable.mutate({ name: c.name, enabled: e.currentTarget.checked })}
              label={c.enabled ? t('connectors.enabled') : t('connectors.disabled')}
              data-testid="connector-enabled"
            />
          ) : (
            <Badge size="sm" variant="light" color={c.enabled ? 'blue' : 'gray'}>
              {c.enabled ? t('connectors.enabled') : t('connectors.disabled')}
            </Badge>
          )}
        </Table.Td>
        {canManage && (
          <Table.Td>
            <Group gap={6} wrap="nowrap">
              <Button
                size="compact-xs"
                variant="light"
                loading={test.isPending}
                onClick={() => test.mutate(c.name, { onSuccess: setResult })}
                data-testid="connector-test"
              >
                {t('connectors.test')}
              </Button>
              <ConfirmButton
                size="compact-xs"
                variant="subtle"
                color="red"
                question={t('connectors.deleteQuestion', { name: c.name })}
                onConfirm={() => remove.mutate(c.name)}
                testId="connector-delete"
              >
                {t('connectors.delete')}
              </ConfirmButton>
            </Group>
          </Table.Td>
        )}
      </Table.Tr>
      {(result || test.error || enable.error) && (
        <Table.Tr>
          <Table.Td colSpan={canManage ? 6 : 5}>
            {result ? (
              <Alert
                color={result.ok ? 'teal' : 'red'}
                title={result.ok ? t('connectors.testOk') : t('connectors.testFailed')}
                data-testid="connector-test-result"
                data-ok={String(result.ok)}
              >
                <Text size="sm" className="tocsin-break">
                  {result.detail}
                </Text>
              </Alert>
            ) : (
              <ProblemAlert error={test.error ?? enable.error} />
            )}
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

export function ConnectorsPage() {
  const { t } = useTranslation();
  const allowed = useCan('connector.read');
  const canManage = useCan('connector.manage');
  const kinds = useConnectorKinds(allowed);
  const connectors = useConnectors(allowed);
  const [adding, setAdding] = useState(false);
  usePageTitle(t('connectors.title'));
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="connectors-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2}>{t('connectors.title')}</Title>
          <Text size="sm" c="dimmed" maw={820}>
            {t('connectors.intro')}
          </Text>
        </Stack>
        {canManage && !adding && (
          <Button size="xs" onClick={() => setAdding(true)} data-testid="connector-add">
            {t('connectors.add')}
          </Button>
        )}
      </Group>
      {adding && kinds.data && (
        <Card withBorder padding="md">
          <ConnectorForm kinds={kinds.data} onDone={() => setAdding(false)} />
        </Card>
      )}
      <QueryView query={connectors} keepOnError>
        {(items) =>
          items.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="connectors-empty">
              {t('connectors.empty')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing="xs" data-testid="connectors-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('connectors.name')}</Table.Th>
                    <Table.Th>{t('connectors.kind')}</Table.Th>
                    <Table.Th>{t('connectors.allowedHosts')}</Table.Th>
                    <Table.Th>{t('connectors.secrets')}</Table.Th>
                    <Table.Th>{t('connectors.state')}</Table.Th>
                    {canManage && <Table.Th />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => (
                    <Row key={c.id} c={c} kinds={kinds.data ?? []} canManage={canManage} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryView>
    </Stack>
  );
}
