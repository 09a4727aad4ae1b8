/**
 * The body in both languages as the public page shows it: `POST /api/v1/statements/preview` renders the
 * Markdown with the public pages' renderer and sanitizes it on the server, so its HTML goes in as it is.
 */
import { Box, Card, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { useStatementPreview } from './statements-api.js';

const LANGS = [
  { lang: 'zh', htmlLang: 'zh-CN' },
  { lang: 'en', htmlLang: 'en' },
] as const;

export function StatementPreview({
  title,
  body,
}: {
  title: { zh: string; en: string };
  body: { zh: string; en: string };
}) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(body, 400);
  const preview = useStatementPreview(debounced);
  return (
    <Card withBorder radius="md" data-testid="statement-preview">
      <Stack gap="xs">
        <Title order={5}>{t('statements.preview.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('statements.preview.hint')}
        </Text>
        <ProblemAlert error={preview.error} />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {LANGS.map(({ lang, htmlLang }) => (
            <Box
              key={lang}
              p="sm"
              lang={htmlLang}
              style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8, minWidth: 0 }}
            >
              <Text size="xs" c="dimmed" mb={4}>
                {t(`statements.lang.${lang}`)}
              </Text>
              <Text fw={700} mb="xs" className="tocsin-break" data-testid={`statement-preview-title-${lang}`}>
                {title[lang] || '—'}
              </Text>
              {preview.data ? (
                <Box
                  className="tocsin-break tocsin-statement-html"
                  data-testid={`statement-preview-${lang}`}
                  // biome-ignore lint/security/noDangerouslySetInnerHtml: the server renders and sanitizes it (platform/markdown.ts), as on the public page
                  dangerouslySetInnerHTML={{ __html: preview.data.html[lang] }}
                />
              ) : (
                <Loader size="sm" />
              )}
            </Box>
          ))}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}
