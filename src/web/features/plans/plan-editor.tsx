/**
 * The plan editor: the YAML in a text area, checked by the server as one types (POST /api/v1/plans/lint,
 * nothing stored), its problems listed with line and column; "save" stores a new draft version.
 */
import { Alert, Button, Card, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { type PlanImportResult, useImportPlan, usePlanLint } from './plans-api.js';

export function PlanEditor({
  initial,
  title,
  onSaved,
}: {
  initial: string;
  title: string;
  onSaved?: (result: PlanImportResult) => void;
}) {
  const { t } = useTranslation();
  const [source, setSource] = useState(initial);
  const [debounced] = useDebouncedValue(source, 400);
  const lint = usePlanLint(debounced);
  const save = useImportPlan();
  const problems = lint.data?.problems ?? [];
  const checking = source !== debounced || lint.isFetching;
  const valid = !checking && lint.data !== undefined && problems.length === 0;

  return (
    <Card withBorder radius="md" data-testid="plan-editor">
      <Stack gap="sm">
        <Title order={5}>{title}</Title>
        <Textarea
          label={t('plans.editor.label')}
          value={source}
          onChange={(e) => {
            setSource(e.currentTarget.value);
            save.reset();
          }}
          autosize
          minRows={12}
          maxRows={30}
          spellCheck={false}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          data-testid="plan-editor-source"
        />
        <div data-testid="plan-editor-status" data-state={checking ? 'checking' : valid ? 'valid' : 'problems'}>
          {checking ? (
            <Text size="sm" c="dimmed">
              {t('plans.editor.checking')}
            </Text>
          ) : lint.error ? (
            <ProblemAlert error={lint.error} />
          ) : problems.length === 0 ? (
            lint.data && (
              <Text size="sm" c="green.8">
                {t('plans.editor.valid')}
              </Text>
            )
          ) : (
            <Alert color="red" title={t('plans.editor.problems', { count: problems.length })}>
              <List size="sm" spacing={2} data-testid="plan-editor-problems">
                {problems.map((p) => (
                  <List.Item key={`${p.line}:${p.column}:${p.message}`}>
                    <Text span size="sm" fw={600}>
                      {t('plans.editor.line', { line: p.line, column: p.column })}
                    </Text>{' '}
                    <Text span size="sm" ff="monospace" className="tocsin-break">
                      {p.message}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
        </div>
        <ProblemAlert error={save.error} />
        {save.data && (
          <Text size="sm" c={save.data.changed ? 'green.8' : 'dimmed'} data-testid="plan-editor-saved">
            {save.data.changed
              ? t('plans.editor.saved', { n: save.data.version.version })
              : t('plans.editor.unchanged')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button
            disabled={!valid}
            loading={save.isPending}
            onClick={() => save.mutate(source, { onSuccess: (r) => onSaved?.(r) })}
            data-testid="plan-editor-save"
          >
            {t('plans.editor.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
