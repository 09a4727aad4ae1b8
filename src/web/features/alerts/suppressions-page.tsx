/** Suppressions and maintenance windows: what holds alerts back, why, until when, and how often it did. */
import { Alert as Notice, Badge, Card, Divider, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import type { MaintenanceWindow, Suppression } from '../../app/types.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { RuleName } from '../rules/rule-name.js';
import { useServiceLabel } from '../services/services-api.js';
import { useNow } from '../../ui/use-now.js';
import { useMaintenanceWindows, useRemoveSuppression, useRemoveWindow, useSuppressions } from './alerts-api.js';
import { SuppressionForm, WindowForm } from './suppression-forms.js';

function Hits({ hits, lastHitAt }: { hits: number; lastHitAt: string | null }) {
  const { i18n } = useTranslation();
  return (
    <Text size="sm">
      {hits}
      {lastHitAt && (
        <Text span size="xs" c="dimmed">
          {' '}
          · {formatDateTime(lastHitAt, i18n.language)}
        </Text>
      )}
    </Text>
  );
}

function SuppressionRow({ s, canManage }: { s: Suppression; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const remove = useRemoveSuppression();
  const now = useNow(60_000);
  const expired = s.expiresAt !== null && Date.parse(s.expiresAt) <= now;
  return (
    <Table.Tr data-testid="suppression-row" data-id={s.id}>
      <Table.Td>
        {s.reasonWithheld ? (
          <Text size="sm" c="dimmed" fs="italic">
            {t('suppressions.withheld')}
          </Text>
        ) : s.ruleId ? (
          <RuleName id={s.ruleId} />
        ) : (
          <Text size="sm" c="dimmed">
            {t('suppressions.anyRule')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" className="tocsin-break">
          {s.reasonWithheld ? (
            <Text span c="dimmed" fs="italic" size="sm">
              {t('suppressions.withheld')}
            </Text>
          ) : s.entity ? (
            `${t(`entityKind.${s.entity.kind}`)} ${s.entity.value}`
          ) : (
            t('suppressions.anyEntity')
          )}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" className="tocsin-break">
          {s.reasonWithheld ? (
            <Text span c="dimmed" fs="italic" size="sm">
              {t('alerts.reasonWithheld')}
            </Text>
          ) : (
            s.reason
          )}
        </Text>
        <Text size="xs" c="dimmed">
          {s.createdBy?.name ?? ''} · {formatDateTime(s.createdAt, i18n.language)}
          {s.fromAlertId && ` · ${t('suppressions.fromAlert')}`}
        </Text>
      </Table.Td>
      <Table.Td>
        {expired ? (
          <Badge color="gray" variant="light">
            {t('suppressions.expired')}
          </Badge>
        ) : (
          <Text size="sm">{s.expiresAt ? formatDateTime(s.expiresAt, i18n.language) : t('suppressions.never')}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Hits hits={s.hits} lastHitAt={s.lastHitAt} />
      </Table.Td>
      <Table.Td>
        {canManage && !s.reasonWithheld && (
          <ConfirmButton
            size="compact-xs"
            variant="subtle"
            color="red"
            loading={remove.isPending}
            question={t('suppressions.removeQuestion')}
            onConfirm={() => remove.mutate(s.id)}
            testId="suppression-remove"
          >
            {t('suppressions.remove')}
          </ConfirmButton>
        )}
        <ProblemAlert error={remove.error} />
      </Table.Td>
    </Table.Tr>
  );
}

function WindowRow({ w, canManage }: { w: MaintenanceWindow; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const remove = useRemoveWindow();
  const now = useNow(30_000);
  const serviceLabel = useServiceLabel();
  const state = now < Date.parse(w.startsAt) ? 'upcoming' : now < Date.parse(w.endsAt) ? 'active' : 'ended';
  const scope = [...w.services.map(serviceLabel), ...w.entities.map((e) => `${t(`entityKind.${e.kind}`)} ${e.value}`)];
  return (
    <Table.Tr data-testid="window-row" data-id={w.id} data-state={state}>
      <Table.Td>
        <Text size="sm" className="tocsin-break">
          {scope.join(t('common.listSeparator'))}
        </Text>
        {w.ruleIds.map((r) => (
          <Text key={r} size="sm">
            {t('suppressions.rule')}: <RuleName id={r} />
          </Text>
        ))}
      </Table.Td>
      <Table.Td>
        <Badge color={state === 'active' ? 'violet' : 'gray'} variant="light" mb={4}>
          {t(`suppressions.window.state.${state}`)}
        </Badge>
        <Text size="xs">
          {formatDateTime(w.startsAt, i18n.language)} – {formatDateTime(w.endsAt, i18n.language)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" className="tocsin-break">
          {w.reason}
        </Text>
        <Text size="xs" c="dimmed">
          {w.createdBy?.name ?? ''}
        </Text>
      </Table.Td>
      <Table.Td>
        <Hits hits={w.hits} lastHitAt={w.lastHitAt} />
      </Table.Td>
      <Table.Td>
        {canManage && state !== 'ended' && (
          <ConfirmButton
            size="compact-xs"
            variant="subtle"
            color="red"
            loading={remove.isPending}
            question={t('suppressions.window.cancelQuestion')}
            onConfirm={() => remove.mutate(w.id)}
            testId="window-remove"
          >
            {t('suppressions.window.cancel')}
          </ConfirmButton>
        )}
        <ProblemAlert error={remove.error} />
      </Table.Td>
    </Table.Tr>
  );
}

export function SuppressionsPage() {
  const { t } = useTranslation();
  const allowed = useCan('alert.read');
  const canManage = useCan('alert.manage');
  const suppressions = useSuppressions();
  const windows = useMaintenanceWindows();
  usePageTitle(t('suppressions.title'));
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md">
      <Title order={2}>{t('suppressions.title')}</Title>
      <Notice color="violet" variant="light">
        {t('suppressions.intro')}
      </Notice>
      <Card withBorder radius="md" data-testid="windows-card">
        <Stack gap="sm">
          <Title order={4}>{t('suppressions.windowsTitle')}</Title>
          <QueryView query={windows} keepOnError compact>
            {({ items }) => (
              <>
                <Table.ScrollContainer minWidth={720}>
                  <Table verticalSpacing="xs" data-testid="windows-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('suppressions.window.scope')}</Table.Th>
                        <Table.Th>{t('suppressions.window.when')}</Table.Th>
                        <Table.Th>{t('suppressions.reason')}</Table.Th>
                        <Table.Th>{t('suppressions.hits')}</Table.Th>
                        <Table.Th />
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {items.map((w) => (
                        <WindowRow key={w.id} w={w} canManage={canManage} />
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                {items.length === 0 && <EmptyState compact>{t('suppressions.window.empty')}</EmptyState>}
              </>
            )}
          </QueryView>
          {canManage && (
            <>
              <Divider label={t('suppressions.window.create')} labelPosition="left" />
              <WindowForm />
            </>
          )}
        </Stack>
      </Card>
      <Card withBorder radius="md" data-testid="suppressions-card">
        <Stack gap="sm">
          <Title order={4}>{t('suppressions.suppressionsTitle')}</Title>
          <QueryView query={suppressions} keepOnError compact>
            {({ items }) => (
              <>
                <Table.ScrollContainer minWidth={720}>
                  <Table verticalSpacing="xs" data-testid="suppressions-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('suppressions.rule')}</Table.Th>
                        <Table.Th>{t('suppressions.entity')}</Table.Th>
                        <Table.Th>{t('suppressions.reason')}</Table.Th>
                        <Table.Th>{t('suppressions.expires')}</Table.Th>
                        <Table.Th>{t('suppressions.hits')}</Table.Th>
                        <Table.Th />
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {items.map((s) => (
                        <SuppressionRow key={s.id} s={s} canManage={canManage} />
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                {items.length === 0 && <EmptyState compact>{t('suppressions.empty')}</EmptyState>}
              </>
            )}
          </QueryView>
          {canManage && (
            <>
              <Divider label={t('suppressions.create')} labelPosition="left" />
              <SuppressionForm />
            </>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}
