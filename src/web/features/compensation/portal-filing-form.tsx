/**
 * Opening the portal for claims (or changing its public titles and closing time): the titles customers
 * read, in Chinese and English — prefilled from the incident's title — and an optional closing time.
 */
import { Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { displayTimeZone, localInputToIso } from '../../ui/time.js';
import { useIncident } from '../war-room/war-room-api.js';
import { type PortalFiling, useSetPortalFiling } from './compensation-filing-api.js';

/** An ISO time as a datetime-local input's value in the browser's zone ("2026-11-28T14:30"). */
function isoToLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function PortalFilingForm({
  incidentKey,
  filing,
  onDone,
}: {
  incidentKey: string;
  filing: PortalFiling;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const incident = useIncident(incidentKey).data;
  // The titles it has (open), else the incident's own in each language.
  const [titleZh, setTitleZh] = useState(filing.titleZh || incident?.titleI18n?.['zh-CN'] || incident?.title || '');
  const [titleEn, setTitleEn] = useState(filing.titleEn || incident?.titleI18n?.en || incident?.title || '');
  const [closesAt, setClosesAt] = useState(isoToLocalInput(filing.closesAt));
  const save = useSetPortalFiling(incidentKey);
  const ready = titleZh.trim() !== '' && titleEn.trim() !== '';
  const submit = () =>
    save.mutate(
      { open: true, titleZh: titleZh.trim(), titleEn: titleEn.trim(), closesAt: localInputToIso(closesAt) ?? null },
      { onSuccess: onDone },
    );
  return (
    <Stack gap="xs" data-testid="portal-filing-form">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          label={t('comp.filing.titleZh')}
          description={t('comp.filing.titleHint')}
          value={titleZh}
          maxLength={200}
          onChange={(e) => setTitleZh(e.currentTarget.value)}
          error={fieldError(save.error, 'titleZh')}
          data-testid="portal-filing-title-zh-input"
        />
        <TextInput
          label={t('comp.filing.titleEn')}
          description={t('comp.filing.titleHint')}
          value={titleEn}
          maxLength={200}
          onChange={(e) => setTitleEn(e.currentTarget.value)}
          error={fieldError(save.error, 'titleEn')}
          data-testid="portal-filing-title-en-input"
        />
      </SimpleGrid>
      <TextInput
        type="datetime-local"
        label={t('comp.filing.closesAtOptional')}
        description={t('comp.filing.closesAtHint', { zone: displayTimeZone() })}
        value={closesAt}
        onChange={(e) => setClosesAt(e.currentTarget.value)}
        error={fieldError(save.error, 'closesAt')}
        maw={320}
        data-testid="portal-filing-closes-input"
      />
      <Group gap="xs">
        <Button
          size="xs"
          disabled={!ready}
          loading={save.isPending}
          onClick={submit}
          data-testid="portal-filing-submit"
        >
          {filing.open ? t('comp.filing.save') : t('comp.filing.openSubmit')}
        </Button>
        <Button size="xs" variant="subtle" onClick={onDone} data-testid="portal-filing-cancel">
          {t('common.cancel')}
        </Button>
      </Group>
      <ProblemAlert error={save.error} />
    </Stack>
  );
}
