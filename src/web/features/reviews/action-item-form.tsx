/** The drawer that creates or edits an action item: title, description, owner, due date, priority, what it treats. */
import { Button, Drawer, Group, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useUsers } from '../users/users-api.js';
import type { ActionItemCreateBody } from '../../../shared/action-item-schemas.js';
import {
  ACTION_ITEM_PRIORITIES,
  type ActionItem,
  type ActionItemCreate,
  useActionItemMutations,
} from './reviews-api.js';

/** An ISO instant as a `datetime-local` value in the browser's zone. */
const localOf = (iso: string) => {
  const d = new Date(iso);
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
};
const inAWeek = () => localOf(new Date(Date.now() + 7 * 86_400_000).toISOString());

export interface ItemFormProps {
  /** The item edited; none: a new one. */
  item?: ActionItem;
  pending: boolean;
  error: unknown;
  onSubmit: (body: ActionItemCreate) => void;
  onClose: () => void;
}

export function ActionItemDrawer({ item, pending, error, onSubmit, onClose }: ItemFormProps) {
  const { t } = useTranslation();
  const users = useUsers();
  const [title, setTitle] = useState(item?.title ?? '');
  const [description, setDescription] = useState(item?.description ?? '');
  const [ownerId, setOwnerId] = useState<string | null>(item?.owner.id ?? null);
  const [due, setDue] = useState(item ? localOf(item.dueAt) : inAWeek());
  const [priority, setPriority] = useState<string>(item?.priority ?? 'p3');
  const [treatsKind, setTreatsKind] = useState<string | null>(item?.treats?.kind ?? null);
  const [treatsId, setTreatsId] = useState(item?.treats?.id ?? '');
  const valid = title.trim() && ownerId && due;
  const submit = () =>
    onSubmit({
      title: title.trim(),
      description,
      ownerId: ownerId!,
      dueAt: new Date(due).toISOString(),
      priority: priority as ActionItemCreate['priority'],
      treats: treatsKind && treatsId.trim() ? { kind: treatsKind as 'risk', id: treatsId.trim() } : null,
    });
  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      title={item ? t('actionItems.edit') : t('actionItems.new')}
      data-testid="action-item-drawer"
    >
      <Stack gap="sm">
        <TextInput
          label={t('actionItems.field.title')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          maxLength={300}
          required
          data-testid="ai-title"
        />
        <Textarea
          label={t('actionItems.field.description')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          autosize
          minRows={3}
          maxLength={10_000}
          data-testid="ai-description"
        />
        <Select
          label={t('actionItems.field.owner')}
          data={(users.data ?? []).filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.name }))}
          value={ownerId}
          onChange={setOwnerId}
          searchable
          required
          data-testid="ai-owner"
        />
        <Group grow>
          <TextInput
            type="datetime-local"
            label={t('actionItems.field.due')}
            value={due}
            onChange={(e) => setDue(e.currentTarget.value)}
            required
            data-testid="ai-due"
          />
          <Select
            label={t('actionItems.field.priority')}
            data={ACTION_ITEM_PRIORITIES.map((p) => ({ value: p, label: t(`actionItems.priority.${p}`) }))}
            value={priority}
            onChange={(v) => setPriority(v ?? 'p3')}
            allowDeselect={false}
            data-testid="ai-priority"
          />
        </Group>
        <Group grow>
          <Select
            label={t('actionItems.field.treats')}
            data={(['vulnerability', 'risk'] as const).map((k) => ({ value: k, label: t(`actionItems.treats.${k}`) }))}
            value={treatsKind}
            onChange={setTreatsKind}
            clearable
          />
          <TextInput
            label={t('actionItems.field.treatsId')}
            value={treatsId}
            onChange={(e) => setTreatsId(e.currentTarget.value)}
            maxLength={64}
            disabled={!treatsKind}
          />
        </Group>
        <ProblemAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('actionItems.cancel')}
          </Button>
          <Button onClick={submit} disabled={!valid} loading={pending} data-testid="ai-save">
            {t('actionItems.save')}
          </Button>
        </Group>
      </Stack>
    </Drawer>
  );
}

/** The drawer that makes a new action item with `source` (none, or the drill it came from); closes once made. */
export function NewActionItemDrawer({
  source,
  onClose,
}: {
  source: NonNullable<ActionItemCreateBody['source']>;
  onClose: () => void;
}) {
  const m = useActionItemMutations();
  return (
    <ActionItemDrawer
      pending={m.create.isPending}
      error={m.create.error}
      onClose={onClose}
      onSubmit={(body) => m.create.mutate({ ...body, source }, { onSuccess: onClose })}
    />
  );
}
