/**
 * Training at /training (issue 16, docs/training.md): coverage of the required courses per department (an
 * ECharts bar chart) with who is overdue, the records, the CSV import with its per-row result, phishing
 * simulation rates per campaign and department, and the required courses (one may gate on-call).
 */
import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { CoverageCard } from './coverage-card.js';
import { usePhishing, useTrainingRecords } from './training-api.js';
import { ImportForm, RecordModal, RequiredCoursesEditor } from './training-forms.js';

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);

export function TrainingPage() {
  const { t } = useTranslation();
  const allowed = useCan('training.read');
  const canManage = useCan('training.manage');
  usePageTitle(t('training.pageTitle'));
  const [tab, setTab] = useState<string | null>('coverage');
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md">
      <Title order={2}>{t('training.pageTitle')}</Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="coverage" data-testid="tab-coverage">
            {t('training.tabCoverage')}
          </Tabs.Tab>
          <Tabs.Tab value="records" data-testid="tab-records">
            {t('training.tabRecords')}
          </Tabs.Tab>
          <Tabs.Tab value="phishing" data-testid="tab-phishing">
            {t('training.tabPhishing')}
          </Tabs.Tab>
          <Tabs.Tab value="required" data-testid="tab-required">
            {t('training.tabRequired')}
          </Tabs.Tab>
          {canManage && (
            <Tabs.Tab value="import" data-testid="tab-import">
              {t('training.tabImport')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="coverage" pt="md">
          <CoverageCard />
        </Tabs.Panel>
        <Tabs.Panel value="records" pt="md">
          <Records canManage={canManage} />
        </Tabs.Panel>
        <Tabs.Panel value="phishing" pt="md">
          <Phishing />
        </Tabs.Panel>
        <Tabs.Panel value="required" pt="md">
          <RequiredCoursesEditor canManage={canManage} />
        </Tabs.Panel>
        <Tabs.Panel value="import" pt="md">
          <ImportForm />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Records({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [adding, setAdding] = useState(false);
  const records = useTrainingRecords({ q: q || undefined });
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <TextInput label={t('training.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={320} />
        {canManage && (
          <Button onClick={() => setAdding(true)} data-testid="record-new">
            {t('training.newRecord')}
          </Button>
        )}
      </Group>
      {adding && <RecordModal onClose={() => setAdding(false)} />}
      <Card withBorder radius="md" p={0}>
        <QueryView query={records} keepOnError>
          {({ items }) =>
            items.length === 0 ? (
              <EmptyState>{t('training.noRecords')}</EmptyState>
            ) : (
              <Table.ScrollContainer minWidth={900}>
                <Table fz="sm" verticalSpacing="xs" data-testid="records-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('training.person')}</Table.Th>
                      <Table.Th>{t('training.department')}</Table.Th>
                      <Table.Th>{t('training.course')}</Table.Th>
                      <Table.Th>{t('training.completedOn')}</Table.Th>
                      <Table.Th>{t('training.score')}</Table.Th>
                      <Table.Th>{t('training.expiresOn')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((r) => (
                      <Table.Tr key={r.id} data-testid="record-row">
                        <Table.Td>
                          <Text size="sm">{r.person.name ?? '—'}</Text>
                          <Text size="xs" c="dimmed">
                            {[r.person.email, r.person.employeeId].filter(Boolean).join(' · ')}
                          </Text>
                        </Table.Td>
                        <Table.Td>{r.department}</Table.Td>
                        <Table.Td>
                          {r.courseCode} {r.courseName}
                        </Table.Td>
                        <Table.Td>{r.completedOn}</Table.Td>
                        <Table.Td>{r.score ?? '—'}</Table.Td>
                        <Table.Td>
                          <Group gap={4}>
                            {r.expiresOn ?? t('training.noExpiry')}
                            {r.expired && (
                              <Badge size="xs" color="red">
                                {t('training.status.expired')}
                              </Badge>
                            )}
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryView>
      </Card>
    </Stack>
  );
}

function Phishing() {
  const { t } = useTranslation();
  const phishing = usePhishing();
  const table = (
    rows: {
      name: string;
      sent: number;
      clicked: number;
      reported: number;
      clickRate: number | null;
      reportRate: number | null;
    }[],
    head: string,
    testId: string,
  ) => (
    <Card withBorder radius="md" p={0}>
      <Table fz="sm" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{head}</Table.Th>
            <Table.Th>{t('training.sent')}</Table.Th>
            <Table.Th>{t('training.clicked')}</Table.Th>
            <Table.Th>{t('training.reported')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.name}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td>{r.sent}</Table.Td>
              <Table.Td>
                {r.clicked} ({pct(r.clickRate)})
              </Table.Td>
              <Table.Td>
                {r.reported} ({pct(r.reportRate)})
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
  return (
    <QueryView query={phishing}>
      {(p) =>
        p.campaigns.length === 0 ? (
          <EmptyState>{t('training.noPhishing')}</EmptyState>
        ) : (
          <Stack gap="md">
            {table(
              p.campaigns.map((c) => ({ ...c, name: c.campaign })),
              t('training.campaign'),
              'phishing-campaigns',
            )}
            {table(
              p.departments.map((d) => ({ ...d, name: d.department })),
              t('training.department'),
              'phishing-departments',
            )}
          </Stack>
        )
      }
    </QueryView>
  );
}
