/** App-wide providers: Mantine, TanStack Query (with the 401 → sign-in hook-up) and i18next. */
import { useEffect, useState, type ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import { i18n } from '../i18n/index.js';
import { setUnauthorizedHandler } from './api.js';
import { createQueryClient } from './query-client.js';
import { applySession } from './session.js';
import { theme } from './theme.js';

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  useEffect(() => {
    setUnauthorizedHandler(() => applySession(queryClient, null));
    return () => setUnauthorizedHandler(null);
  }, [queryClient]);
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} defaultColorScheme="light">
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}
