/** The analyst-written sections (Markdown, shown rendered as the server sanitized it) and the public summary. */
import { Button, Card, Group, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { RichText } from '../media/rich-text.js';
import {
  type InvestigationReport,
  type useReportMutations,
  WRITTEN_SECTIONS,
  type WrittenSection,
} from './investigation-report-api.js';

type Sections = InvestigationReport['sections'];

export function ReportEditor({ r, m }: { r: InvestigationReport; m: ReturnType<typeof useReportMutations> }) {
  const { t } = useTranslation();
  const [sections, setSections] = useState<Sections>(r.sections);
  const [summary, setSummary] = useState(r.publicSummary);
  const editable = r.can.edit;
  const dirty =
    WRITTEN_SECTIONS.some((s) => sections[s] !== r.sections[s]) ||
    summary.zh !== r.publicSummary.zh ||
    summary.en !== r.publicSummary.en;
  const save = () => m.save.mutate({ sections, publicSummary: summary, revision: r.revision });
  return (
    <Stack gap="md">
      {WRITTEN_SECTIONS.map((s: WrittenSection) => (
        <Card key={s} withBorder radius="md" data-testid={`ir-section-${s}`}>
          <Stack gap="xs">
            <Title order={5}>{t(`investigationReport.section.${s}`)}</Title>
            {editable ? (
              <Textarea
                autosize
                minRows={2}
                maxRows={16}
                aria-label={t(`investigationReport.section.${s}`)}
                description={t(`investigationReport.hint.${s}`)}
                value={sections[s]}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setSections((x) => ({ ...x, [s]: v }));
                }}
                data-testid={`ir-input-${s}`}
              />
            ) : null}
            {r.html[s] ? (
              <RichText html={r.html[s]} testId={`ir-html-${s}`} />
            ) : (
              !editable && (
                <Text size="sm" c="dimmed">
                  {t('investigationReport.notWritten')}
                </Text>
              )
            )}
          </Stack>
        </Card>
      ))}
      <Card withBorder radius="md" data-testid="ir-public-summary">
        <Stack gap="xs">
          <Title order={5}>{t('investigationReport.publicSummary')}</Title>
          <Text size="xs" c="dimmed">
            {t('investigationReport.publicSummaryHint')}
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {(['zh', 'en'] as const).map((lang) => (
              <Textarea
                key={lang}
                autosize
                minRows={3}
                maxLength={2000}
                readOnly={!editable}
                label={t(`investigationReport.summaryLang.${lang}`)}
                value={summary[lang]}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setSummary((x) => ({ ...x, [lang]: v }));
                }}
                data-testid={`ir-summary-${lang}`}
              />
            ))}
          </SimpleGrid>
        </Stack>
      </Card>
      {editable && (
        <Group>
          <Button onClick={save} disabled={!dirty} loading={m.save.isPending} data-testid="ir-save">
            {r.state === 'approved' ? t('investigationReport.saveReopens') : t('investigationReport.save')}
          </Button>
        </Group>
      )}
      {m.save.error && <ProblemAlert error={m.save.error} />}
    </Stack>
  );
}
