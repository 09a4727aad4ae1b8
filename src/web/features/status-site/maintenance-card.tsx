/**
 * Scheduled maintenance of the status page: current (scheduled, in progress) or all; status.manage
 * schedules, edits and cancels one (its services show "maintenance" publicly while it is in progress).
 */
import { useState } from 'react';
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime, localInputToIso } from '../../ui/time.js';
import {
  type StatusMaintenance,
  useCancelMaintenance,
  useMaintenances,
  useSaveMaintenance,
  useStatusComponents,
} from './status-site-api.js';
import { pickZhEn } from '../../ui/localized.js';

const STATE_COLORS = { scheduled: 'blue', in_progress: 'orange', completed: 'gray' } as const;

/** An ISO time as a datetime-local input's value in the browser's zone ("2026-11-28T14:30"). */
function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function MaintenanceModal({ m, onClose }: { m: StatusMaintenance | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const save = useSaveMaintenance();
  const components = useStatusComponents(true);
  const [titleZh, setTitleZh] = useState(m?.title.zh ?? '');
  const [titleEn, setTitleEn] = useState(m?.title.en ?? '');
  const [bodyZh, setBodyZh] = useState(m?.body.zh ?? '');
  const [bodyEn, setBodyEn] = useState(m?.body.en ?? '');
  const [services, setServices] = useState<string[]>(m?.services ?? []);
  const [start, setStart] = useState(m ? isoToLocalInput(m.startsAt) : '');
  const [end, setEnd] = useState(m ? isoToLocalInput(m.endsAt) : '');
  const startsAt = localInputToIso(start);
  const endsAt = localInputToIso(end);
  const submit = () =>
    save.mutate(
      {
        id: m?.id ?? null,
        body: {
          title: { zh: titleZh.trim(), en: titleEn.trim() },
          body: { zh: bodyZh, en: bodyEn },
          services,
          startsAt: startsAt!,
          endsAt: endsAt!,
        },
      },
      { onSuccess: onClose },
    );
  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={m ? t('statusSite.editMaintenance') : t('statusSite.scheduleMaintenance')}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('statusSite.titleZh')}
            value={titleZh}
            onChange={(e) => setTitleZh(e.currentTarget.value)}
            error={fieldError(save.error, 'title.zh')}
            data-testid="maintenance-title-zh"
          />
          <TextInput
            label={t('statusSite.titleEn')}
            value={titleEn}
            onChange={(e) => setTitleEn(e.currentTarget.value)}
            data-testid="maintenance-title-en"
          />
          <TextInput
            type="datetime-local"
            label={t('statusSite.startsAt')}
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
            data-testid="maintenance-start"
          />
          <TextInput
            type="datetime-local"
            label={t('statusSite.endsAt')}
            value={end}
            onChange={(e) => setEnd(e.currentTarget.value)}
            error={fieldError(save.error, 'endsAt')}
            data-testid="maintenance-end"
          />
        </SimpleGrid>
        <MultiSelect
          label={t('statusSite.affected')}
          data={(components.data ?? []).map((c) => ({ value: c.key, label: pickZhEn(c.name, i18n.language) }))}
          value={services}
          onChange={setServices}
          searchable
          comboboxProps={{ withinPortal: false }}
          data-testid="maintenance-services"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Textarea
            label={t('statusSite.bodyZh')}
            description={t('statusSite.markdown')}
            autosize
            minRows={3}
            value={bodyZh}
            onChange={(e) => setBodyZh(e.currentTarget.value)}
          />
          <Textarea
            label={t('statusSite.bodyEn')}
            description={t('statusSite.markdown')}
            autosize
            minRows={3}
            value={bodyEn}
            onChange={(e) => setBodyEn(e.currentTarget.value)}
          />
        </SimpleGrid>
        <ProblemAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={!titleZh.trim() || services.length === 0 || !startsAt || !endsAt}
            loading={save.isPending}
            onClick={submit}
            data-testid="maintenance-save"
          >
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function MaintenanceRow({
  m,
  canManage,
  names,
  onEdit,
}: {
  m: StatusMaintenance;
  canManage: boolean;
  names: Map<string, string>;
  onEdit: () => void;
}) {
  const { t, i18n } = useTranslation();
  const cancel = useCancelMaintenance();
  return (
    <Stack gap={2} data-testid="maintenance" data-id={m.id} data-state={m.state}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="xs" style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} className="tocsin-break">
            {pickZhEn(m.title, i18n.language)}
          </Text>
          <Badge size="sm" variant="light" color={STATE_COLORS[m.state]}>
            {t(`statusSite.maintenanceState.${m.state}`)}
          </Badge>
        </Group>
        {canManage && m.state !== 'completed' && (
          <Group gap={4} wrap="nowrap">
            <Button size="compact-xs" variant="subtle" onClick={onEdit} data-testid="maintenance-edit">
              {t('statusSite.edit')}
            </Button>
            <ConfirmButton
              size="compact-xs"
              variant="subtle"
              color="red"
              question={t('statusSite.cancelMaintenanceQuestion')}
              onConfirm={() => cancel.mutate(m.id)}
              testId="maintenance-cancel"
            >
              {t('statusSite.cancelMaintenance')}
            </ConfirmButton>
          </Group>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {formatDateTime(m.startsAt, i18n.language)} – {formatDateTime(m.endsAt, i18n.language)} ·{' '}
        {m.services.map((s) => names.get(s) ?? s).join(t('common.listSeparator'))}
      </Text>
      <ProblemAlert error={cancel.error} />
    </Stack>
  );
}

export function MaintenanceCard({ canManage }: { canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const [which, setWhich] = useState<'current' | 'all'>('current');
  const list = useMaintenances(which, true);
  const components = useStatusComponents(true);
  const names = new Map((components.data ?? []).map((c) => [c.key, pickZhEn(c.name, i18n.language)]));
  const [editing, setEditing] = useState<StatusMaintenance | 'new' | null>(null);
  return (
    <Card withBorder radius="md" data-testid="status-maintenance">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('statusSite.maintenance')}</Title>
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              value={which}
              onChange={(v) => setWhich(v as 'current' | 'all')}
              data={[
                { value: 'current', label: t('statusSite.current') },
                { value: 'all', label: t('common.all') },
              ]}
            />
            {canManage && (
              <Button size="xs" variant="light" onClick={() => setEditing('new')} data-testid="maintenance-add">
                {t('statusSite.scheduleMaintenance')}
              </Button>
            )}
          </Group>
        </Group>
        <QueryView query={list} compact keepOnError>
          {(items) =>
            items.length === 0 ? (
              <EmptyState compact>{t('statusSite.noMaintenance')}</EmptyState>
            ) : (
              <Stack gap="sm">
                {items.map((m) => (
                  <MaintenanceRow key={m.id} m={m} canManage={canManage} names={names} onEdit={() => setEditing(m)} />
                ))}
              </Stack>
            )
          }
        </QueryView>
      </Stack>
      {editing && <MaintenanceModal m={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
