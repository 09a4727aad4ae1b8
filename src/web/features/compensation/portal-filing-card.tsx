/**
 * The compensation page's "Portal claims" card: whether customers can file claims for this incident on the
 * public portal, under which public titles and until when, how many they filed; opened and closed by those
 * who manage compensation.
 */
import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { type PortalFiling, takingClaims, usePortalFiling, useSetPortalFiling } from './compensation-filing-api.js';
import { PortalFilingForm } from './portal-filing-form.js';

export function PortalFilingCard({ incidentKey }: { incidentKey: string }) {
  const filing = usePortalFiling(incidentKey);
  return (
    <Card withBorder radius="md" data-testid="portal-filing">
      <QueryView query={filing} compact>
        {(f) => <Filing incidentKey={incidentKey} filing={f} />}
      </QueryView>
    </Card>
  );
}

function Filing({ incidentKey, filing: f }: { incidentKey: string; filing: PortalFiling }) {
  const { t, i18n } = useTranslation();
  const canManage = useCan('compensation.manage');
  const [editing, setEditing] = useState(false);
  const close = useSetPortalFiling(incidentKey);
  const at = (iso: string | null) => formatDateTime(iso, i18n.language);
  const taking = takingClaims(f);
  const state = taking ? 'open' : f.open ? 'expired' : 'closed';
  return (
    <Stack gap="sm" data-state={state} data-filed={f.filed}>
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <Title order={4}>{t('comp.filing.title')}</Title>
          <Badge variant="light" color={taking ? 'green' : 'gray'} data-testid="portal-filing-state">
            {t(`comp.filing.state.${state}`)}
          </Badge>
        </Group>
        {canManage && !editing && (
          <Group gap="xs">
            <Button
              size="xs"
              variant={f.open ? 'default' : 'filled'}
              onClick={() => setEditing(true)}
              data-testid="portal-filing-edit"
            >
              {f.open ? t('comp.filing.edit') : t('comp.filing.open')}
            </Button>
            {f.open && (
              <Button
                size="xs"
                color="red"
                variant="light"
                loading={close.isPending}
                onClick={() => close.mutate({ open: false })}
                data-testid="portal-filing-close"
              >
                {t('comp.filing.close')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {taking ? t('comp.filing.openHint') : t('comp.filing.closedHint')}
      </Text>
      {f.open && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing={6}>
          <Field label={t('comp.filing.titleZh')} value={f.titleZh} testId="portal-filing-title-zh" />
          <Field label={t('comp.filing.titleEn')} value={f.titleEn} testId="portal-filing-title-en" />
          <Field
            label={t('comp.filing.closesAt')}
            value={f.closesAt ? at(f.closesAt) : t('comp.filing.noClosing')}
            testId="portal-filing-closes"
          />
          <Field
            label={t('comp.filing.openedAt')}
            value={f.openedAt ? `${at(f.openedAt)}${f.openedBy?.name ? ` · ${f.openedBy.name}` : ''}` : '—'}
          />
        </SimpleGrid>
      )}
      <Text size="sm" fw={600} data-testid="portal-filing-filed">
        {t('comp.filing.filed', { count: f.filed })}
      </Text>
      <ProblemAlert error={close.error} />
      {editing && <PortalFilingForm incidentKey={incidentKey} filing={f} onDone={() => setEditing(false)} />}
    </Stack>
  );
}

function Field({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" className="tocsin-break" data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}
