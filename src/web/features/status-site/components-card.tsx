/**
 * The services of the status page by group, each with the state the public sees and where it comes from
 * (the probes or a person's override); status.manage sets and clears overrides and edits the settings.
 */
import { useState } from 'react';
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { COMPONENT_STATES, type ComponentState } from '../../../shared/status-site.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import {
  type StatusComponent,
  type StatusGroup,
  useClearOverride,
  useSetOverride,
  useStatusComponents,
  useStatusGroups,
  useUpdateComponent,
} from './status-site-api.js';
import { StateBadge } from './status-parts.js';
import { pickZhEn } from '../../ui/localized.js';

function OverrideModal({ component, onClose }: { component: StatusComponent; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const set = useSetOverride();
  const [state, setState] = useState<ComponentState>(component.override?.state ?? component.state);
  const [reason, setReason] = useState(component.override?.reason ?? '');
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('statusSite.overrideTitle', { name: pickZhEn(component.name, i18n.language) })}
    >
      <Stack gap="sm">
        <Select
          label={t('statusSite.publicState')}
          data={COMPONENT_STATES.map((s) => ({ value: s, label: t(`statusSite.state.${s}`) }))}
          value={state}
          onChange={(v) => v && setState(v as ComponentState)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: false }}
          data-testid="override-state"
        />
        <TextInput
          label={t('statusSite.reason')}
          description={t('statusSite.reasonHint')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-testid="override-reason"
        />
        <ProblemAlert error={set.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={!reason.trim()}
            loading={set.isPending}
            onClick={() => set.mutate({ key: component.key, state, reason: reason.trim() }, { onSuccess: onClose })}
            data-testid="override-save"
          >
            {t('statusSite.setOverride')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function SettingsModal({
  component,
  groups,
  onClose,
}: {
  component: StatusComponent;
  groups: StatusGroup[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const update = useUpdateComponent();
  const [shown, setShown] = useState(component.public);
  const [group, setGroup] = useState<string | null>(component.group);
  const [position, setPosition] = useState<number>(component.position);
  const [zh, setZh] = useState(component.description.zh);
  const [en, setEn] = useState(component.description.en);
  const save = () =>
    update.mutate(
      {
        key: component.key,
        body: { public: shown, group, position, description: { zh: zh.trim(), en: en.trim() } },
      },
      { onSuccess: onClose },
    );
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('statusSite.settingsTitle', { name: pickZhEn(component.name, i18n.language) })}
    >
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          {t('statusSite.namesFromCatalog')}
        </Text>
        <Switch
          label={t('statusSite.shownPublicly')}
          checked={shown}
          onChange={(e) => setShown(e.currentTarget.checked)}
          data-testid="component-public"
        />
        <Select
          label={t('statusSite.group')}
          data={groups.map((g) => ({ value: g.key, label: pickZhEn(g.name, i18n.language) }))}
          value={group}
          onChange={setGroup}
          clearable
          placeholder={t('statusSite.ungrouped')}
          comboboxProps={{ withinPortal: false }}
          data-testid="component-group"
        />
        <NumberInput
          label={t('statusSite.position')}
          min={0}
          max={10_000}
          value={position}
          onChange={(v) => setPosition(typeof v === 'number' ? v : 0)}
        />
        <TextInput label={t('statusSite.descriptionZh')} value={zh} onChange={(e) => setZh(e.currentTarget.value)} />
        <TextInput label={t('statusSite.descriptionEn')} value={en} onChange={(e) => setEn(e.currentTarget.value)} />
        <ProblemAlert error={update.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={update.isPending} onClick={save} data-testid="component-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ComponentRow({
  c,
  canManage,
  onOverride,
  onSettings,
}: {
  c: StatusComponent;
  canManage: boolean;
  onOverride: () => void;
  onSettings: () => void;
}) {
  const { t, i18n } = useTranslation();
  const clear = useClearOverride();
  return (
    <Table.Tr data-testid="status-component" data-key={c.key} data-state={c.state} data-source={c.source}>
      <Table.Td>
        <Text size="sm" fw={500} className="tocsin-break">
          {pickZhEn(c.name, i18n.language)}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {c.key}
          {!c.public && ` · ${t('statusSite.hidden')}`}
        </Text>
      </Table.Td>
      <Table.Td>
        <StateBadge state={c.state} />
      </Table.Td>
      <Table.Td>
        {c.override ? (
          <Stack gap={0}>
            <Badge color="grape" variant="outline" size="sm" data-testid="status-source">
              {t('statusSite.source.manual')}
            </Badge>
            <Text size="xs" className="tocsin-break" data-testid="override-info">
              {c.override.reason}
            </Text>
            <Text size="xs" c="dimmed">
              {c.override.by} · {formatDateTime(c.override.since, i18n.language)}
            </Text>
          </Stack>
        ) : (
          <Stack gap={0}>
            <Badge color="gray" variant="outline" size="sm" data-testid="status-source">
              {t('statusSite.source.probe')}
            </Badge>
            <Text size="xs" c="dimmed">
              {t(`statusSite.health.${c.health}`)}
            </Text>
          </Stack>
        )}
      </Table.Td>
      {canManage && (
        <Table.Td>
          <Group gap={4} justify="flex-end" wrap="nowrap">
            <Button size="compact-xs" variant="light" onClick={onOverride} data-testid="override-open">
              {t('statusSite.setOverride')}
            </Button>
            {c.override && (
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                loading={clear.isPending}
                onClick={() => clear.mutate(c.key)}
                data-testid="override-clear"
              >
                {t('statusSite.clearOverride')}
              </Button>
            )}
            <Button size="compact-xs" variant="subtle" onClick={onSettings} data-testid="component-settings">
              {t('statusSite.settings')}
            </Button>
          </Group>
          <ProblemAlert error={clear.error} />
        </Table.Td>
      )}
    </Table.Tr>
  );
}

export function ComponentsCard({ canManage }: { canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const components = useStatusComponents(true);
  const groups = useStatusGroups(true);
  const [override, setOverride] = useState<StatusComponent | null>(null);
  const [settings, setSettings] = useState<StatusComponent | null>(null);
  const groupList = [...(groups.data ?? [])].sort((a, b) => a.position - b.position || a.key.localeCompare(b.key));
  return (
    <Card withBorder radius="md" data-testid="status-components">
      <Stack gap="sm">
        <Title order={4}>{t('statusSite.components')}</Title>
        <QueryView query={components} keepOnError>
          {(items) => {
            if (items.length === 0) return <EmptyState compact>{t('statusSite.noComponents')}</EmptyState>;
            const sections = [
              ...groupList.map((g) => ({ key: g.key, name: pickZhEn(g.name, i18n.language) })),
              { key: null, name: t('statusSite.ungrouped') },
            ]
              .map((s) => ({
                ...s,
                items: items
                  .filter((c) => (s.key === null ? !groupList.some((g) => g.key === c.group) : c.group === s.key))
                  .sort((a, b) => a.position - b.position || a.key.localeCompare(b.key)),
              }))
              .filter((s) => s.items.length > 0);
            return (
              <Table.ScrollContainer minWidth={620}>
                <Table verticalSpacing={6}>
                  {sections.map((s) => (
                    <Table.Tbody key={s.key ?? ''} data-testid="status-group-section">
                      <Table.Tr>
                        <Table.Th colSpan={canManage ? 4 : 3} bg="var(--mantine-color-gray-0)">
                          {s.name}
                        </Table.Th>
                      </Table.Tr>
                      {s.items.map((c) => (
                        <ComponentRow
                          key={c.key}
                          c={c}
                          canManage={canManage}
                          onOverride={() => setOverride(c)}
                          onSettings={() => setSettings(c)}
                        />
                      ))}
                    </Table.Tbody>
                  ))}
                </Table>
              </Table.ScrollContainer>
            );
          }}
        </QueryView>
      </Stack>
      {override && <OverrideModal component={override} onClose={() => setOverride(null)} />}
      {settings && <SettingsModal component={settings} groups={groupList} onClose={() => setSettings(null)} />}
    </Card>
  );
}
