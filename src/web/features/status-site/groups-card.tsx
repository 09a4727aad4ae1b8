/** The status page's groups: names in both languages and order; status.manage adds, edits and removes them. */
import { useState } from 'react';
import { Button, Card, Group, Modal, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import {
  type StatusGroup,
  useCreateGroup,
  useDeleteGroup,
  useStatusGroups,
  useUpdateGroup,
} from './status-site-api.js';

function GroupModal({ group, onClose }: { group: StatusGroup | null; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateGroup();
  const update = useUpdateGroup();
  const save = group ? update : create;
  const [key, setKey] = useState(group?.key ?? '');
  const [zh, setZh] = useState(group?.name.zh ?? '');
  const [en, setEn] = useState(group?.name.en ?? '');
  const [position, setPosition] = useState<number>(group?.position ?? 0);
  const submit = () =>
    save.mutate({ key: key.trim(), name: { zh: zh.trim(), en: en.trim() }, position }, { onSuccess: onClose });
  return (
    <Modal opened onClose={onClose} title={group ? t('statusSite.editGroup') : t('statusSite.addGroup')}>
      <Stack gap="sm">
        <TextInput
          label={t('statusSite.groupKey')}
          description={t('statusSite.groupKeyHint')}
          value={key}
          disabled={group !== null}
          onChange={(e) => setKey(e.currentTarget.value)}
          error={fieldError(save.error, 'key')}
          data-testid="group-key"
        />
        <TextInput
          label={t('statusSite.nameZh')}
          value={zh}
          onChange={(e) => setZh(e.currentTarget.value)}
          error={fieldError(save.error, 'name.zh')}
          data-testid="group-name-zh"
        />
        <TextInput
          label={t('statusSite.nameEn')}
          value={en}
          onChange={(e) => setEn(e.currentTarget.value)}
          data-testid="group-name-en"
        />
        <NumberInput
          label={t('statusSite.position')}
          min={0}
          max={10_000}
          value={position}
          onChange={(v) => setPosition(typeof v === 'number' ? v : 0)}
        />
        <ProblemAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={!key.trim() || !zh.trim()}
            loading={save.isPending}
            onClick={submit}
            data-testid="group-save"
          >
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function GroupsCard({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const groups = useStatusGroups(true);
  const remove = useDeleteGroup();
  const [editing, setEditing] = useState<StatusGroup | 'new' | null>(null);
  return (
    <Card withBorder radius="md" data-testid="status-groups">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('statusSite.groups')}</Title>
          {canManage && (
            <Button size="xs" variant="light" onClick={() => setEditing('new')} data-testid="group-add">
              {t('statusSite.addGroup')}
            </Button>
          )}
        </Group>
        <QueryView query={groups} compact>
          {(items) =>
            items.length === 0 ? (
              <EmptyState compact>{t('statusSite.noGroups')}</EmptyState>
            ) : (
              <Table verticalSpacing={4}>
                <Table.Tbody>
                  {[...items]
                    .sort((a, b) => a.position - b.position || a.key.localeCompare(b.key))
                    .map((g) => (
                      <Table.Tr key={g.key} data-testid="status-group" data-key={g.key}>
                        <Table.Td>
                          <Text size="sm" className="tocsin-break">
                            {g.name.zh}
                            {g.name.en && ` / ${g.name.en}`}
                          </Text>
                          <Text size="xs" c="dimmed" ff="monospace">
                            {g.key} · {t('statusSite.positionN', { n: g.position })}
                          </Text>
                        </Table.Td>
                        {canManage && (
                          <Table.Td>
                            <Group gap={4} justify="flex-end" wrap="nowrap">
                              <Button size="compact-xs" variant="subtle" onClick={() => setEditing(g)}>
                                {t('statusSite.edit')}
                              </Button>
                              <ConfirmButton
                                size="compact-xs"
                                variant="subtle"
                                color="red"
                                question={t('statusSite.deleteGroupQuestion')}
                                onConfirm={() => remove.mutate(g.key)}
                                testId={`group-delete-${g.key}`}
                              >
                                {t('statusSite.delete')}
                              </ConfirmButton>
                            </Group>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryView>
        <ProblemAlert error={remove.error} />
      </Stack>
      {editing && <GroupModal group={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
