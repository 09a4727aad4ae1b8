/** Entry point of the staff console. */
import '@mantine/core/styles.css';
import './global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthGate } from '../features/auth/auth-gate.js';
import { Providers } from './providers.js';
import { AppRouter } from './router.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers>
      <AuthGate>
        <AppRouter />
      </AuthGate>
    </Providers>
  </StrictMode>,
);
