/** Leases (platform/leases): one process at a time holds each, until `until_ms` unless renewed. */
export interface LeasesTable {
  /** `scheduler:<name>`, `process:singleton`. */
  name: string;
  /** `host:pid:random` of the holding process. */
  holder: string;
  until_ms: number;
  /** When this holder took it (renewals keep it). */
  acquired_at_ms: number;
}
