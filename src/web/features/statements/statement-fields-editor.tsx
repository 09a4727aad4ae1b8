/**
 * The structured fields of the status-site kinds (what the announcement shows): status, impact, times,
 * the scope (services, customer groups, regions); the texts in both languages are edited beside the body.
 */
import { MultiSelect, Select, SimpleGrid, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useServiceOptions } from '../services/services-api.js';
import { LIST_FIELDS, type StatementForm, TIME_FIELDS, TEXT_FIELDS } from './statement-form.js';

const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;

type Patch = (change: Partial<StatementForm>) => void;

/** The language-free fields: status, impact, times, services. */
export function FieldsEditor({ form, patch, readOnly }: { form: StatementForm; patch: Patch; readOnly: boolean }) {
  const { t } = useTranslation();
  const services = useServiceOptions();
  // keys no longer in the catalog stay visible
  const serviceData = [
    ...services,
    ...form.services.filter((k) => !services.some((s) => s.value === k)).map((k) => ({ value: k, label: k })),
  ];
  return (
    <Stack gap="xs" data-testid="statement-fields">
      <Title order={5}>{t('statements.fields.title')}</Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
        <Select
          label={t('statements.fields.status')}
          data={STATUSES.map((s) => ({ value: s, label: t(`statements.siteStatus.${s}`) }))}
          value={form.status ?? null}
          onChange={(v) => patch({ status: (v as StatementForm['status']) ?? null })}
          clearable
          readOnly={readOnly}
          data-testid="statement-field-status"
        />
        <Select
          label={t('statements.fields.impact')}
          data={IMPACTS.map((s) => ({ value: s, label: t(`statements.impact.${s}`) }))}
          value={form.impact ?? null}
          onChange={(v) => patch({ impact: (v as StatementForm['impact']) ?? null })}
          clearable
          readOnly={readOnly}
          data-testid="statement-field-impact"
        />
        <MultiSelect
          label={t('statements.fields.services')}
          data={serviceData}
          value={form.services}
          onChange={(v) => patch({ services: v })}
          searchable
          readOnly={readOnly}
          data-testid="statement-field-services"
        />
        {TIME_FIELDS.map((k) => (
          <TextInput
            key={k}
            type="datetime-local"
            label={t(`statements.fields.${k}`)}
            value={form.times[k]}
            onChange={(e) => patch({ times: { ...form.times, [k]: e.currentTarget.value } })}
            readOnly={readOnly}
            data-testid={`statement-field-${k}`}
          />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/** The bilingual fields in one language's column: cause, measures, customer action, groups, regions. */
export function FieldTexts({
  form,
  patch,
  lang,
  readOnly,
}: {
  form: StatementForm;
  patch: Patch;
  lang: 'zh' | 'en';
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      {TEXT_FIELDS.map((k) => (
        <Textarea
          key={k}
          label={t(`statements.fields.${k}`)}
          autosize
          minRows={2}
          maxRows={8}
          value={form.texts[k][lang]}
          onChange={(e) =>
            patch({ texts: { ...form.texts, [k]: { ...form.texts[k], [lang]: e.currentTarget.value } } })
          }
          readOnly={readOnly}
          data-testid={`statement-field-${k}-${lang}`}
        />
      ))}
      {LIST_FIELDS.map((k) => (
        <Textarea
          key={k}
          label={t(`statements.fields.${k}`)}
          description={t('statements.fields.onePerLine')}
          autosize
          minRows={1}
          maxRows={6}
          value={form.lists[k][lang]}
          onChange={(e) =>
            patch({ lists: { ...form.lists, [k]: { ...form.lists[k], [lang]: e.currentTarget.value } } })
          }
          readOnly={readOnly}
          data-testid={`statement-field-${k}-${lang}`}
        />
      ))}
    </>
  );
}
