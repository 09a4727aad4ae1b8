/** One labelled fact of a record (a small dimmed label over its value), for detail pages and cards. */
import type { ReactNode } from 'react';
import { Text } from '@mantine/core';

export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} component="div" className="tocsin-break" data-testid={testId}>
        {children}
      </Text>
    </div>
  );
}
