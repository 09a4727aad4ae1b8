/** The search box of a list: what is typed goes to the list's filter, trimmed, once typing pauses. */
import { useState } from 'react';
import { TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';

const PAUSE_MS = 300;

export function SearchField({
  value,
  onSearch,
  label,
  testId,
}: {
  /** The search the list is filtered by now. */
  value: string | undefined;
  onSearch: (q: string | undefined) => void;
  /** Shown as placeholder, and read out as the box's name. */
  label: string;
  testId: string;
}) {
  const [text, setText] = useState(value ?? '');
  const search = useDebouncedCallback((typed: string) => {
    const q = typed.trim();
    if (q !== (value ?? '')) onSearch(q || undefined);
  }, PAUSE_MS);
  return (
    <TextInput
      placeholder={label}
      aria-label={label}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        search(e.currentTarget.value);
      }}
      data-testid={testId}
    />
  );
}
