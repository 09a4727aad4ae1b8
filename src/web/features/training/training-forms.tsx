/** The CSV import form with its result, and the editor of the required courses. */
import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Checkbox,
  FileInput,
  Group,
  List,
  Modal,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../ui/problem-alert.js';
import {
  type RecordIn,
  type RequiredCourse,
  useCreateRecord,
  useImportTraining,
  useRequiredCourses,
  useSetRequired,
} from './training-api.js';

export function ImportForm() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'records' | 'phishing'>('records');
  const [file, setFile] = useState<File | null>(null);
  const upload = useImportTraining();
  const r = upload.data;
  /** A row problem's words, with its values (the codes' placeholders differ, so the key is not typed). */
  const word = t as unknown as (key: string, params: Record<string, string>) => string;
  return (
    <Card withBorder radius="md">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t(kind === 'records' ? 'training.importRecordsHint' : 'training.importPhishingHint')}
        </Text>
        <Group align="flex-end">
          <SegmentedControl
            value={kind}
            onChange={(v) => setKind(v as 'records' | 'phishing')}
            data={[
              { value: 'records', label: t('training.kindRecords') },
              { value: 'phishing', label: t('training.kindPhishing') },
            ]}
          />
          <FileInput
            label={t('training.file')}
            accept=".csv,text/csv"
            value={file}
            onChange={setFile}
            clearable
            w={320}
            data-testid="training-file"
          />
          <Button
            disabled={!file}
            loading={upload.isPending}
            onClick={() => file && upload.mutate({ kind, file })}
            data-testid="training-import"
          >
            {t('training.import')}
          </Button>
        </Group>
        {upload.error && <ProblemAlert error={upload.error} />}
        {r && (
          <Alert color={r.errors.length ? 'yellow' : 'green'} data-testid="training-import-result">
            <Text size="sm">
              {t('training.importResult', {
                rows: r.rows,
                added: r.added,
                updated: r.updated,
                errors: r.errors.length,
              })}{' '}
              {t('training.encoding', { encoding: r.encoding })}
            </Text>
            {r.errors.length > 0 && (
              <List size="sm" mt="xs">
                {r.errors.slice(0, 200).map((e) => (
                  <List.Item key={e.line}>
                    {t('training.rowError', {
                      line: e.line,
                      message: e.problems.map((x) => word(`training.rowProblem.${x.code}`, x.params)).join('; '),
                    })}
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

export function RequiredCoursesEditor({ canManage }: { canManage: boolean }) {
  const required = useRequiredCourses();
  if (!required.data) return null;
  return (
    <RequiredTable key={JSON.stringify(required.data.items)} initial={required.data.items} canManage={canManage} />
  );
}

function RequiredTable({ initial, canManage }: { initial: RequiredCourse[]; canManage: boolean }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState(() => initial.map((r, i) => ({ ...r, uid: i })));
  const [nextUid, setNextUid] = useState(initial.length);
  const save = useSetRequired();
  const edit = (i: number, patch: Partial<RequiredCourse>) =>
    setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : patch.oncall ? { ...r, oncall: false } : r)));
  return (
    <Card withBorder radius="md">
      <Text size="sm" c="dimmed" mb="xs">
        {t('training.requiredHint')}
      </Text>
      <Table fz="sm" data-testid="required-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('training.courseCode')}</Table.Th>
            <Table.Th>{t('training.courseName')}</Table.Th>
            <Table.Th>{t('training.periodMonths')}</Table.Th>
            <Table.Th>{t('training.oncallGate')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={r.uid}>
              <Table.Td>
                <TextInput
                  size="xs"
                  value={r.courseCode}
                  disabled={!canManage}
                  onChange={(e) => edit(i, { courseCode: e.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  size="xs"
                  value={r.courseName}
                  disabled={!canManage}
                  onChange={(e) => edit(i, { courseName: e.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td>
                <NumberInput
                  size="xs"
                  min={1}
                  max={120}
                  w={90}
                  value={r.periodMonths}
                  disabled={!canManage}
                  onChange={(v) => edit(i, { periodMonths: Number(v) || 12 })}
                />
              </Table.Td>
              <Table.Td>
                <Checkbox
                  checked={r.oncall}
                  disabled={!canManage}
                  onChange={(e) => edit(i, { oncall: e.currentTarget.checked })}
                  aria-label={t('training.oncallGate')}
                />
              </Table.Td>
              <Table.Td>
                {canManage && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('training.remove')}
                    onClick={() => setRows((all) => all.filter((_, j) => j !== i))}
                  >
                    ×
                  </ActionIcon>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {save.error && <ProblemAlert error={save.error} />}
      {canManage && (
        <Group mt="sm">
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              setRows((all) => [
                ...all,
                { courseCode: '', courseName: '', periodMonths: 12, oncall: false, uid: nextUid },
              ]);
              setNextUid((n) => n + 1);
            }}
          >
            {t('training.addCourse')}
          </Button>
          <Button
            size="xs"
            loading={save.isPending}
            onClick={() => save.mutate(rows.map(({ uid: _, ...r }) => r))}
            data-testid="required-save"
          >
            {t('training.saveRequired')}
          </Button>
        </Group>
      )}
    </Card>
  );
}

/** Enter one completed course (a person by e-mail or employee id; the e-mail of a Tocsin account links it). */
export function RecordModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateRecord();
  const [v, setV] = useState<RecordIn>({
    email: '',
    employeeId: '',
    name: '',
    department: '',
    courseCode: '',
    courseName: '',
    completedOn: '',
    score: null,
    expiresOn: null,
  });
  const set = (patch: Partial<RecordIn>) => setV((x) => ({ ...x, ...patch }));
  const submit = () => {
    const body: RecordIn = {
      ...v,
      email: v.email || undefined,
      employeeId: v.employeeId || undefined,
      name: v.name || undefined,
      expiresOn: v.expiresOn || null,
    };
    create.mutate(body, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={t('training.newRecord')} size="lg">
      <Stack gap="sm">
        <Group grow>
          <TextInput
            label={t('training.email')}
            value={v.email}
            onChange={(e) => set({ email: e.currentTarget.value })}
          />
          <TextInput
            label={t('training.employeeId')}
            value={v.employeeId}
            onChange={(e) => set({ employeeId: e.currentTarget.value })}
          />
        </Group>
        <Group grow>
          <TextInput
            label={t('training.person')}
            value={v.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
          />
          <TextInput
            label={t('training.department')}
            required
            value={v.department}
            onChange={(e) => set({ department: e.currentTarget.value })}
          />
        </Group>
        <Group grow>
          <TextInput
            label={t('training.courseCode')}
            required
            value={v.courseCode}
            onChange={(e) => set({ courseCode: e.currentTarget.value })}
          />
          <TextInput
            label={t('training.courseName')}
            required
            value={v.courseName}
            onChange={(e) => set({ courseName: e.currentTarget.value })}
          />
        </Group>
        <Group grow>
          <TextInput
            label={t('training.completedOn')}
            type="date"
            required
            value={v.completedOn}
            onChange={(e) => set({ completedOn: e.currentTarget.value })}
          />
          <NumberInput
            label={t('training.score')}
            min={0}
            max={1000}
            value={v.score ?? ''}
            onChange={(x) => set({ score: typeof x === 'number' ? x : null })}
          />
          <TextInput
            label={t('training.expiresOn')}
            type="date"
            value={v.expiresOn ?? ''}
            onChange={(e) => set({ expiresOn: e.currentTarget.value || null })}
          />
        </Group>
        {create.error && <ProblemAlert error={create.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={create.isPending} data-testid="record-save">
            {t('training.saveRecord')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
