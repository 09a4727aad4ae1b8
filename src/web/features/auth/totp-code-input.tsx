/** The six-digit code field of an authenticator app (sign-in step and enrolment). */
import { TextInput } from '@mantine/core';

export function TotpCodeInput({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange: (code: string) => void;
  testId: string;
}) {
  return (
    <TextInput
      label={label}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      required
      value={value}
      onChange={(e) => onChange(e.currentTarget.value.replace(/\D/g, ''))}
      data-testid={testId}
      mb="md"
    />
  );
}
