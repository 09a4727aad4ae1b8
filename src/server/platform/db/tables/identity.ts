/** Sign-in through the firm's directory (migration 0054): external identities, OIDC sign-ins in progress, notices. */

export interface ExternalIdentitiesTable {
  provider: string;
  subject: string;
  user_id: string;
  username: string | null;
  groups_json: string;
  refresh_token: string | null;
  last_sign_in_at: number;
  last_recheck_at: number;
}

export interface OidcLoginsTable {
  state: string;
  provider: string;
  nonce: string;
  code_verifier: string;
  browser_hash: string;
  expires_at: number;
}

export interface SecurityNoticesTable {
  id: string;
  recipient_id: string;
  kind: string;
  subject_user_id: string;
  address: string | null;
  created_at: number;
  read_at: number | null;
}
