/** The effective configuration (read-only). */
import { useQuery } from '@tanstack/react-query';
import type { SettingsView } from '../../../shared/settings-schemas.js';
import { api } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';

export function useSettings(enabled: boolean) {
  return useQuery({
    queryKey: qk.settings,
    queryFn: ({ signal }) => api<SettingsView>('/settings', { signal }),
    enabled,
  });
}
