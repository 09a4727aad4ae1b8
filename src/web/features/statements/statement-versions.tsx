/** A statement's versions (who wrote each, when) and the diff between two of them. */
import { Anchor, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { DiffView } from '../plans/plan-parts.js';
import { useStatementDiff, useStatementVersions } from './statements-api.js';

export function VersionsCard({ id, current }: { id: string; current: number }) {
  const { t, i18n } = useTranslation();
  const versions = useStatementVersions(id);
  const [picked, setPicked] = useState<{ to?: number; from?: number }>({});
  const to = picked.to ?? current;
  const from = picked.from ?? (to > 1 ? to - 1 : to);
  const diff = useStatementDiff(id, to, from);
  const options = Array.from({ length: current }, (_, i) => current - i).map((n) => ({
    value: String(n),
    label: t('statements.versionN', { n }),
  }));
  return (
    <Card withBorder radius="md" data-testid="statement-versions">
      <Stack gap="sm">
        <Title order={5}>{t('statements.versions.title')}</Title>
        <QueryView query={versions} compact>
          {({ items }) => (
            <Table.ScrollContainer minWidth={360}>
              <Table verticalSpacing={4}>
                <Table.Tbody>
                  {items.map((v) => (
                    <Table.Tr key={v.n} data-testid="statement-version-row" data-version={v.n}>
                      <Table.Td>
                        <Anchor
                          size="sm"
                          fw={600}
                          onClick={() => setPicked({ to: v.n, from: v.n > 1 ? v.n - 1 : v.n })}
                        >
                          {t('statements.versionN', { n: v.n })}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{v.author.name}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(v.createdAt, i18n.language)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryView>
        {current > 1 && (
          <Stack gap="xs">
            <Group gap="xs" wrap="wrap">
              <Text size="sm" fw={600}>
                {t('statements.versions.diff')}
              </Text>
              <Select
                size="xs"
                w={110}
                aria-label={t('statements.versions.from')}
                data={options}
                value={String(from)}
                onChange={(v) => v && setPicked({ to, from: Number(v) })}
                allowDeselect={false}
                data-testid="statement-diff-from"
              />
              <Text size="sm">→</Text>
              <Select
                size="xs"
                w={110}
                aria-label={t('statements.versions.to')}
                data={options}
                value={String(to)}
                onChange={(v) => v && setPicked({ from, to: Number(v) })}
                allowDeselect={false}
                data-testid="statement-diff-to"
              />
            </Group>
            {from === to ? (
              <Text size="sm" c="dimmed">
                {t('statements.versions.same')}
              </Text>
            ) : (
              <QueryView query={diff} compact>
                {(d) => <DiffView diff={d.diff} />}
              </QueryView>
            )}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
