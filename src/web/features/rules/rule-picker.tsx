/** Choose a rule by typing part of its name (either language), id or tag: the rules that raise alerts, with level and kind. */
import { useState } from 'react';
import { Group, Select, Text, type ComboboxItem } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RuleSummary } from '../../../shared/rule-schemas.js';
import { api, qs } from '../../app/api.js';
import type { Page } from '../../app/types.js';
import { LevelBadge } from '../../ui/badges.js';
import { ruleTitle } from './rules-api.js';

interface RuleOption extends ComboboxItem {
  rule: RuleSummary;
}

export function RulePicker({
  value,
  onChange,
  label,
  placeholder,
  error,
  testId = 'rule-picker',
}: {
  value: string | null;
  onChange: (id: string | null) => void;
  label: string;
  placeholder?: string;
  error?: string;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<RuleSummary | null>(null);
  const [q] = useDebouncedValue(search, 200);
  const typed = picked && search === ruleTitle(picked, i18n.language) ? '' : q.trim();
  const found = useQuery({
    queryKey: ['rules', 'picker', typed],
    queryFn: ({ signal }) => api<Page<RuleSummary>>(`/rules${qs({ q: typed || undefined, limit: 50 })}`, { signal }),
    staleTime: 30_000,
    // only rules whose matches become alerts can be suppressed
    select: (page) => page.items.filter((r) => r.reported && r.kind !== 'filter'),
  });
  const rules = found.data ?? [];
  const options: RuleOption[] = [...(picked && !rules.some((r) => r.id === picked.id) ? [picked] : []), ...rules].map((rule) => ({
    value: rule.id,
    label: ruleTitle(rule, i18n.language),
    rule,
  }));
  return (
    <Select
      label={label}
      placeholder={placeholder}
      searchable
      clearable
      nothingFoundMessage={found.isFetching ? '…' : t('rules.empty')}
      searchValue={search}
      onSearchChange={setSearch}
      // the server searches (titles in both languages, ids, tags): show what it found
      filter={({ options: all }) => all}
      data={options}
      value={value}
      onChange={(id, option) => {
        setPicked(id ? (option as RuleOption).rule : null);
        onChange(id);
      }}
      renderOption={({ option }) => {
        const r = (option as RuleOption).rule;
        return (
          <Group gap={6} wrap="nowrap" data-testid="rule-picker-option" data-rule-id={r.id}>
            {r.level && <LevelBadge level={r.level} size="xs" style={{ flexShrink: 0 }} />}
            <div>
              <Text size="sm">{option.label}</Text>
              <Text size="xs" c="dimmed">
                {t(`rules.kind.${r.kind}`)}
                {!r.enabled && ` · ${t('rules.disabled')}`}
                {i18n.language === 'zh-CN' && r.titleZh ? ` · ${r.title}` : ''}
              </Text>
            </div>
          </Group>
        );
      }}
      error={error}
      maxDropdownHeight={320}
      comboboxProps={{ withinPortal: true }}
      data-testid={testId}
    />
  );
}
