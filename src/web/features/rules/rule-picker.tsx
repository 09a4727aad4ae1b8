/**
 * Choose rules by typing part of a name (either language), id or tag — the server searches — among the
 * rules that raise alerts, each shown with its level and kind. One rule (`RulePicker`) or several (`RuleMultiPicker`).
 */
import { useState } from 'react';
import { Group, MultiSelect, Select, Text, type ComboboxItem, type ComboboxLikeRenderOptionInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { RuleSummary } from '../../../shared/rule-schemas.js';
import { LevelBadge } from '../../ui/badges.js';
import { ruleTitle, useRuleSearch } from './rules-api.js';

interface RuleOption extends ComboboxItem {
  rule: RuleSummary;
}

interface PickerProps {
  label: string;
  placeholder?: string;
  description?: string;
  error?: string;
  testId?: string;
}

/** The rules matching what is typed, asked for once the typing pauses. */
function useTypedRuleSearch(search: string) {
  const [q] = useDebouncedValue(search.trim(), 200);
  return useRuleSearch(q);
}

/** Options for what was found, keeping the chosen rules listed (the control shows only options it has). */
function useOptions(found: RuleSummary[], chosen: RuleSummary[]): RuleOption[] {
  const { i18n } = useTranslation();
  const seen = new Set(found.map((r) => r.id));
  return [...chosen.filter((r) => !seen.has(r.id)), ...found].map((rule) => ({
    value: rule.id,
    label: ruleTitle(rule, i18n.language),
    rule,
  }));
}

function RuleOptionView({ option }: ComboboxLikeRenderOptionInput<ComboboxItem>) {
  const { t, i18n } = useTranslation();
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
}

const showAll = ({ options }: { options: ComboboxItem[] | unknown[] }) => options as ComboboxItem[];

export function RulePicker({
  value,
  onChange,
  label,
  placeholder,
  description,
  error,
  testId = 'rule-picker',
}: PickerProps & { value: string | null; onChange: (id: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<RuleSummary | null>(null);
  // once a rule is picked the box shows its title: search anew only when the text changes from it
  const found = useTypedRuleSearch(picked && search === ruleTitle(picked, i18n.language) ? '' : search);
  const options = useOptions(found.data ?? [], picked && value === picked.id ? [picked] : []);
  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      searchable
      clearable
      nothingFoundMessage={found.isFetching ? '…' : t('rules.empty')}
      searchValue={search}
      onSearchChange={setSearch}
      filter={showAll}
      data={options}
      value={value}
      onChange={(id, option) => {
        setPicked(id ? (option as RuleOption).rule : null);
        onChange(id);
      }}
      renderOption={(o) => <RuleOptionView {...o} />}
      error={error}
      maxDropdownHeight={320}
      data-testid={testId}
    />
  );
}

export function RuleMultiPicker({
  value,
  onChange,
  label,
  placeholder,
  description,
  error,
  testId = 'rule-multi-picker',
}: PickerProps & { value: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<RuleSummary[]>([]);
  const found = useTypedRuleSearch(search);
  const options = useOptions(
    found.data ?? [],
    picked.filter((r) => value.includes(r.id)),
  );
  return (
    <MultiSelect
      label={label}
      description={description}
      placeholder={value.length ? undefined : placeholder}
      searchable
      clearable
      nothingFoundMessage={found.isFetching ? '…' : t('rules.empty')}
      searchValue={search}
      onSearchChange={setSearch}
      filter={showAll}
      data={options}
      value={value}
      onChange={(ids) => {
        const known = new Map([...picked, ...options.map((o) => o.rule)].map((r) => [r.id, r]));
        setPicked(ids.flatMap((id) => known.get(id) ?? []));
        onChange(ids);
      }}
      renderOption={(o) => <RuleOptionView {...o} />}
      error={error}
      maxDropdownHeight={320}
      data-testid={testId}
    />
  );
}
