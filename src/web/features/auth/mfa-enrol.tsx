/** TOTP enrolment: QR code and secret from the server, then a code from the authenticator app to confirm. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Center, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.js';
import type { MfaEnrolment } from '../../app/types.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { TotpCodeInput } from './totp-code-input.js';

export function MfaEnrol({ onDone, autoStart = false }: { onDone: () => void; autoStart?: boolean }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const start = useMutation({ mutationFn: () => api<MfaEnrolment>('/me/mfa/enrol', { method: 'POST' }) });
  const verify = useMutation({
    mutationFn: () => api<void>('/me/mfa/verify', { method: 'POST', body: { code } }),
    onSuccess: onDone,
  });
  const started = useRef(false);
  useEffect(() => {
    if (autoStart && !started.current) {
      started.current = true;
      start.mutate();
    }
  }, [autoStart, start]);

  if (!start.data) {
    return (
      <Stack>
        <Text size="sm">{t('enrol.intro')}</Text>
        <ProblemAlert error={start.error} />
        <Button onClick={() => start.mutate()} loading={start.isPending} data-testid="enrol-start">
          {t('enrol.start')}
        </Button>
      </Stack>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    verify.mutate();
  };
  return (
    <Stack>
      <Text size="sm">{t('enrol.scan')}</Text>
      <Center p="sm" bg="white" data-testid="enrol-qr">
        <QRCodeSVG value={start.data.otpauthUrl} size={192} marginSize={2} title={t('enrol.qrTitle')} />
      </Center>
      <Text size="sm">{t('enrol.orSecret')}</Text>
      <Group gap="xs" wrap="nowrap">
        <Code data-testid="enrol-secret" className="tocsin-break" style={{ flex: 1 }}>
          {start.data.secret}
        </Code>
        <CopyButton value={start.data.secret}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <form onSubmit={submit}>
        <TotpCodeInput label={t('enrol.code')} value={code} onChange={setCode} testId="enrol-code" />
        <ProblemAlert error={verify.error} />
        <Button
          type="submit"
          mt="sm"
          loading={verify.isPending}
          disabled={code.length !== 6}
          data-testid="enrol-submit"
        >
          {t('enrol.confirm')}
        </Button>
      </form>
    </Stack>
  );
}
