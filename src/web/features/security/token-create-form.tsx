/** Create an API token; the secret is shown exactly once, with a copy button. */
import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Code, CopyButton, Group, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TokenScope } from '../../../shared/enums.js';
import { useCan } from '../../app/session.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { localInputToIso } from '../../ui/time.js';
import { useCreateToken } from './tokens-api.js';

export function TokenCreateForm() {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const isAdmin = useCan('token.manage');
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [expires, setExpires] = useState('');
  const [expiresPast, setExpiresPast] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || scopes.length === 0) return;
    // The server refuses it too (422); saying so here spares a round trip and reads in the user's language.
    const expiresAt = localInputToIso(expires);
    const past = expiresAt !== undefined && Date.parse(expiresAt) <= Date.now();
    setExpiresPast(past);
    if (past) return;
    create.mutate({ name: name.trim(), scopes: scopes as TokenScope[], expiresAt }, { onSuccess: () => setName('') });
  };

  return (
    <Stack gap="sm">
      {create.data && (
        <Alert color="yellow" title={t('tokens.createdTitle')} data-testid="token-created">
          <Stack gap="xs">
            {t('tokens.createdBody')}
            <Group gap="xs" wrap="nowrap">
              <Code className="tocsin-break" style={{ flex: 1 }} data-testid="token-secret">
                {create.data.token}
              </Code>
              <CopyButton value={create.data.token}>
                {({ copied, copy }) => (
                  <Button size="xs" color={copied ? 'teal' : 'blue'} onClick={copy} data-testid="token-copy">
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => create.reset()}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('tokens.dismiss')}
            </Button>
          </Stack>
        </Alert>
      )}
      <form onSubmit={submit} data-testid="token-form">
        <Stack gap="sm">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label={t('tokens.name')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(create.error, 'name')}
              style={{ flex: '1 1 200px' }}
              data-testid="token-name"
            />
            <TextInput
              label={t('tokens.expires')}
              type="datetime-local"
              value={expires}
              onChange={(e) => {
                setExpires(e.currentTarget.value);
                setExpiresPast(false);
              }}
              error={expiresPast ? t('tokens.expiresPast') : fieldError(create.error, 'expiresAt')}
              style={{ flex: '1 1 200px' }}
              data-testid="token-expires"
            />
          </Group>
          <Checkbox.Group label={t('tokens.scopes')} value={scopes} onChange={setScopes}>
            <Group gap="md" mt={4}>
              {options.tokenScopes
                .filter((s) => s.value !== 'admin' || isAdmin)
                .map((s) => (
                  <Checkbox key={s.value} value={s.value} label={s.label} data-testid={`token-scope-${s.value}`} />
                ))}
            </Group>
          </Checkbox.Group>
          <ProblemAlert error={create.error} />
          <Button
            type="submit"
            disabled={!name.trim() || scopes.length === 0}
            loading={create.isPending}
            style={{ alignSelf: 'flex-start' }}
            data-testid="token-submit"
          >
            {t('tokens.create')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
