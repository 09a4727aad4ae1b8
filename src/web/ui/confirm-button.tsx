/** A button that asks "are you sure?" in a popover before doing something irreversible. */
import { useState, type ReactNode } from 'react';
import { Button, Group, Popover, Stack, Text, type ButtonProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface Props extends ButtonProps {
  question: string;
  onConfirm: () => void;
  children: ReactNode;
  testId?: string;
}

export function ConfirmButton({ question, onConfirm, children, testId, ...button }: Props) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" withArrow shadow="md">
      <Popover.Target>
        <Button {...button} onClick={() => setOpened((o) => !o)} data-testid={testId}>
          {children}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" maw={260}>
          <Text size="sm">{question}</Text>
          <Group justify="flex-end" gap="xs">
            <Button size="compact-xs" variant="default" onClick={() => setOpened(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              size="compact-xs"
              color="red"
              onClick={() => {
                setOpened(false);
                onConfirm();
              }}
              data-testid={testId ? `${testId}-confirm` : undefined}
            >
              {t('common.confirm')}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
