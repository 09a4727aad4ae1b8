/** Evidence export packages (migration 0044_evidence_packages): Tocsin's signing key and the packages made. */

export interface SigningKeysTable {
  /** `evidence`: the key that signs evidence packages. */
  purpose: string;
  /** Ed25519 */
  algorithm: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex. */
  fingerprint: string;
  public_key_pem: string;
  /** The PKCS#8 PEM sealed with the secret box, bound to the fingerprint. */
  private_key_sealed: string;
  created_at: number;
}

export interface EvidencePackagesTable {
  id: string;
  incident_id: string;
  recipient: string;
  /** The request from outside it answers, if any. */
  request_id: string | null;
  purpose: string;
  item_count: number;
  /** The ZIP's size and SHA-256 (its name in the blob store). */
  bytes: number;
  sha256: string;
  key_fingerprint: string;
  created_by: string | null;
  created_at: number;
}
