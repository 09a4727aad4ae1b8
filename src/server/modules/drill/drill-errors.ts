/** The drill module's problems. */
import { conflict, notFound } from '../../platform/errors.js';

export const drillMissing = (id: string) => notFound(`drill ${id}`, { code: 'drill.not_found', params: { id } });

export const wrongStatus = (status: string, what: string) =>
  conflict(`the drill is ${status}; it cannot be ${what}`, { code: 'drill.wrong_status', params: { status } });
