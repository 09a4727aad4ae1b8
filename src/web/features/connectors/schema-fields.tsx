/**
 * Form fields from a kind's JSON Schema (zod's toJSONSchema on the server): text, numbers, switches,
 * choices, lists (one per line) and maps (JSON); secret fields as password inputs.
 */
import { NumberInput, PasswordInput, Select, Switch, Textarea, TextInput } from '@mantine/core';
import { fieldError } from '../../ui/problem-alert.js';

interface Property {
  type?: string;
  enum?: string[];
  format?: string;
  default?: unknown;
  items?: { type?: string };
  description?: string;
}

export interface JsonSchema {
  properties?: Record<string, Property>;
  required?: string[];
}

/** Text typed into the fields, by field name. */
export type FieldTexts = Record<string, string>;

const kindOf = (p: Property): 'text' | 'number' | 'boolean' | 'enum' | 'list' | 'map' => {
  if (p.enum) return 'enum';
  if (p.type === 'integer' || p.type === 'number') return 'number';
  if (p.type === 'boolean') return 'boolean';
  if (p.type === 'array') return 'list';
  if (p.type === 'object') return 'map';
  return 'text';
};

/** The field texts as the values the schema wants; fields left empty are left out (the server's default applies). */
export function valuesOf(schema: JsonSchema, texts: FieldTexts): { values: Record<string, unknown>; bad: string[] } {
  const values: Record<string, unknown> = {};
  const bad: string[] = [];
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    const text = (texts[name] ?? '').trim();
    if (text === '') continue;
    switch (kindOf(p)) {
      case 'number':
        values[name] = Number(text);
        break;
      case 'boolean':
        values[name] = text === 'true';
        break;
      case 'list': {
        const items = text
          .split('\n')
          .map((x) => x.trim())
          .filter(Boolean);
        values[name] = p.items?.type === 'integer' || p.items?.type === 'number' ? items.map(Number) : items;
        break;
      }
      case 'map':
        try {
          values[name] = JSON.parse(text);
        } catch {
          bad.push(name);
        }
        break;
      default:
        values[name] = text;
    }
  }
  return { values, bad };
}

export function SchemaFields({
  schema,
  prefix,
  secret,
  texts,
  onChange,
  error,
  jsonHint,
}: {
  schema: JsonSchema;
  /** `config` or `secrets`: where the server names a failing field. */
  prefix: string;
  secret: boolean;
  texts: FieldTexts;
  onChange: (name: string, text: string) => void;
  error: unknown;
  jsonHint: string;
}) {
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, p]) => {
        const common = {
          label: name,
          required: schema.required?.includes(name) && p.default === undefined,
          error: fieldError(error, `${prefix}.${name}`),
          'data-testid': `connector-${prefix}-${name}`,
        };
        const value = texts[name] ?? '';
        const set = (v: string) => onChange(name, v);
        const placeholder =
          p.default === undefined
            ? undefined
            : String(Array.isArray(p.default) ? p.default.join(', ') : JSON.stringify(p.default));
        switch (kindOf(p)) {
          case 'enum':
            return (
              <Select
                key={name}
                {...common}
                data={p.enum!}
                value={value || null}
                onChange={(v) => set(v ?? '')}
                placeholder={placeholder}
                clearable
              />
            );
          case 'number':
            return (
              <NumberInput
                key={name}
                {...common}
                value={value}
                onChange={(v) => set(String(v))}
                placeholder={placeholder}
              />
            );
          case 'boolean':
            return (
              <Switch
                key={name}
                label={name}
                checked={value === 'true'}
                onChange={(e) => set(String(e.currentTarget.checked))}
                data-testid={common['data-testid']}
              />
            );
          case 'list':
            return (
              <Textarea
                key={name}
                {...common}
                autosize
                minRows={1}
                value={value}
                onChange={(e) => set(e.currentTarget.value)}
                placeholder={placeholder}
              />
            );
          case 'map':
            return (
              <Textarea
                key={name}
                {...common}
                autosize
                minRows={1}
                description={jsonHint}
                value={value}
                onChange={(e) => set(e.currentTarget.value)}
                placeholder={placeholder}
              />
            );
          default:
            return secret ? (
              <PasswordInput
                key={name}
                {...common}
                value={value}
                onChange={(e) => set(e.currentTarget.value)}
                autoComplete="new-password"
              />
            ) : (
              <TextInput
                key={name}
                {...common}
                value={value}
                onChange={(e) => set(e.currentTarget.value)}
                placeholder={placeholder}
              />
            );
        }
      })}
    </>
  );
}
