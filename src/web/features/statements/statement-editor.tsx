/**
 * The statement's text: title and Markdown body in Chinese and English side by side (stacked on a phone),
 * the structured fields of the status-site kinds, and the preview of both languages. Saving makes a new
 * version (approvals of earlier versions no longer count). Read-only once published or withdrawn, or
 * for someone who cannot draft.
 */
import { Button, Card, Group, Paper, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { appendParagraph } from './cite-fact.js';
import { CiteFactMenu } from './cite-fact-menu.js';
import { FieldsEditor, FieldTexts } from './statement-fields-editor.js';
import { fromForm, type StatementForm, toForm } from './statement-form.js';
import { StatementPreview } from './statement-preview.js';
import { isSiteKind, type Statement, useStatementStep } from './statements-api.js';

const EDITABLE: readonly Statement['state'][] = ['draft', 'in_review', 'approved'];

export function StatementEditor({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const canDraft = useCan('statement.draft');
  const readOnly = !canDraft || !EDITABLE.includes(statement.state);
  const site = isSiteKind(statement.kind);
  const [form, setForm] = useState<StatementForm>(() => toForm(statement.version));
  const save = useStatementStep(statement.id);
  const patch = (change: Partial<StatementForm>) => setForm((f) => ({ ...f, ...change }));
  const dirty = JSON.stringify(fromForm(form, site)) !== JSON.stringify(fromForm(toForm(statement.version), site));

  return (
    <Stack gap="md">
      <Card withBorder radius="md" data-testid="statement-editor" data-version={statement.version.n}>
        <Stack gap="sm">
          {!readOnly && (
            <Group justify="flex-end">
              <CiteFactMenu
                incidentKey={statement.incidentKey}
                onCite={(text) =>
                  patch({
                    body: { zh: appendParagraph(form.body.zh, text.zh), en: appendParagraph(form.body.en, text.en) },
                  })
                }
              />
            </Group>
          )}
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {(['zh', 'en'] as const).map((lang) => (
              <Paper key={lang} withBorder p="sm" radius="md" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
                <Stack gap="xs">
                  <Text size="sm" fw={700} c="dimmed">
                    {t(`statements.lang.${lang}`)}
                  </Text>
                  <TextInput
                    label={t('statements.editor.title')}
                    value={form.title[lang]}
                    onChange={(e) => patch({ title: { ...form.title, [lang]: e.currentTarget.value } })}
                    readOnly={readOnly}
                    error={fieldError(save.error, `title.${lang}`)}
                    data-testid={`statement-title-${lang}`}
                  />
                  <Textarea
                    label={t('statements.editor.body')}
                    description={t('statements.editor.markdown')}
                    autosize
                    minRows={6}
                    maxRows={24}
                    value={form.body[lang]}
                    onChange={(e) => patch({ body: { ...form.body, [lang]: e.currentTarget.value } })}
                    readOnly={readOnly}
                    error={fieldError(save.error, `body.${lang}`)}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                    data-testid={`statement-body-${lang}`}
                  />
                  {site && <FieldTexts form={form} patch={patch} lang={lang} readOnly={readOnly} />}
                </Stack>
              </Paper>
            ))}
          </SimpleGrid>
          {site && <FieldsEditor form={form} patch={patch} readOnly={readOnly} />}
          <ProblemAlert error={save.error} />
          {!readOnly && (
            <Group justify="flex-end" gap="xs" wrap="wrap">
              {dirty && (
                <Text size="sm" c="orange" data-testid="statement-unsaved">
                  {statement.state === 'draft' ? t('statements.editor.unsaved') : t('statements.editor.unsavedReview')}
                </Text>
              )}
              <Button
                variant="default"
                disabled={!dirty}
                onClick={() => setForm(toForm(statement.version))}
                data-testid="statement-reset"
              >
                {t('statements.editor.reset')}
              </Button>
              <Button
                disabled={!dirty}
                loading={save.isPending}
                onClick={() => save.mutate({ step: 'version', body: fromForm(form, site) })}
                data-testid="statement-save"
              >
                {t('statements.editor.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </Card>
      <StatementPreview title={form.title} body={form.body} />
    </Stack>
  );
}
