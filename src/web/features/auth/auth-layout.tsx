/** The centred card used by sign-in, second-factor and enrolment screens. */
import type { ReactNode } from 'react';
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BRAND, usePageTitle } from '../../app/page-title.js';
import { LanguageSwitch } from '../../ui/language-switch.js';

export function AuthLayout({ title, children, width = 400 }: { title: string; children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  usePageTitle(title);
  return (
    <Box mih="100vh" bg="gray.0" p="md">
      <Group justify="flex-end">
        <LanguageSwitch />
      </Group>
      <Center mih="80vh">
        <Stack w="100%" maw={width} gap="md">
          <Stack gap={0} align="center">
            <Title order={1} c="red.8" data-testid="product-name">
              {BRAND}
            </Title>
            <Text c="dimmed" size="sm" ta="center">
              {t('app.tagline')}
            </Text>
          </Stack>
          <Paper withBorder shadow="sm" p="lg" radius="md">
            <Stack gap="md">
              <Title order={2} size="h4">
                {title}
              </Title>
              {children}
            </Stack>
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
