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

/** SCIM provisioning (migration 0055). */
export interface ScimUsersTable {
  user_id: string;
  provider: string;
  user_name: string;
  external_id: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface ScimGroupsTable {
  id: string;
  provider: string;
  display_name: string;
  external_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ScimGroupMembersTable {
  group_id: string;
  user_id: string;
}
