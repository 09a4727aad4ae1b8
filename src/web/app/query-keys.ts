/** Query keys shared by features and the live-update stream. */
export const qk = {
  services: ['services'] as const,
  users: ['users'] as const,
  incidentLists: ['incidents'] as const,
  incidentList: (filters: Record<string, string | undefined>) => ['incidents', filters] as const,
  incident: (key: string) => ['incident', key] as const,
  timeline: (key: string) => ['timeline', key] as const,
  tasks: (key: string) => ['tasks', key] as const,
  tokens: ['tokens'] as const,
  audit: (filters: Record<string, string | undefined>) => ['audit', filters] as const,
  alertLists: ['alerts'] as const,
  alertList: (filters: Record<string, string | undefined>) => ['alerts', filters] as const,
  alert: (id: string) => ['alert', id] as const,
  incidentAlerts: (key: string) => ['incident-alerts', key] as const,
  suppressions: ['suppressions'] as const,
  maintenanceWindows: ['maintenance-windows'] as const,
  serviceHealth: ['service-health'] as const,
};
