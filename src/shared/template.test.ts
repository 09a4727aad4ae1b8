import { describe, expect, it } from 'vitest';
import { renderTemplate, TemplateError } from './template.js';

describe('renderTemplate', () => {
  it('fills names, with or without spaces, lists joined', () => {
    expect(
      renderTemplate('block {{ip}} for {{ incident.key }}', {
        ip: ['192.0.2.1', '192.0.2.2'],
        'incident.key': 'INC-1',
      }),
    ).toBe('block 192.0.2.1, 192.0.2.2 for INC-1');
    expect(renderTemplate('n={{ n }} ok={{ ok }}', { n: 3, ok: false })).toBe('n=3 ok=false');
  });

  it('escapes values inside JSON bodies', () => {
    const body = renderTemplate(
      '{"reason": "{{ reason }}"}',
      { reason: 'a "quoted"\nline \\ </script>' },
      { json: true },
    );
    expect(JSON.parse(body)).toEqual({ reason: 'a "quoted"\nline \\ </script>' });
  });

  it('refuses a name without a value and an unclosed template', () => {
    expect(() => renderTemplate('{{ nope }}', {})).toThrow(TemplateError);
    expect(() => renderTemplate('{{ toString }}', {})).toThrow(/no value/);
    expect(() => renderTemplate('{{ ip', { ip: 'x' })).toThrow(/not closed/);
  });
});
