/**
 * Sealing a customer's personal data: one secret-box text bound to the customer id, a keyed hash per
 * value (HMAC of the normalized value under a key derived from the secret key; the field name is part
 * of the hashed text, so a phone never matches an ID number) and the masked forms lists show.
 */
import type { KeyedHash } from '../../platform/keyed-hash.js';
import type { SecretBox } from '../../platform/secret-box.js';
import type { CustomerRow, HashColumn } from './customer.repository.js';
import { keptForm, PII_FIELDS, type Pii, type PiiField } from './pii.js';

export const HASH_COLUMN: Record<PiiField, HashColumn> = {
  phone: 'phone_hash',
  email: 'email_hash',
  idNumber: 'id_number_hash',
  bankCard: 'bank_card_hash',
};

type SealedColumns = Pick<
  CustomerRow,
  | 'pii_sealed'
  | 'phone_hash'
  | 'email_hash'
  | 'id_number_hash'
  | 'bank_card_hash'
  | 'phone_masked'
  | 'email_masked'
  | 'id_number_masked'
  | 'bank_card_masked'
>;

export interface Sealer {
  /** The row's sealed, hashed and masked columns for `pii` (values in their kept form). */
  seal(customerId: string, pii: Pii): SealedColumns;
  open(row: Pick<CustomerRow, 'id' | 'pii_sealed'>): Pii;
  /** Whether the row is sealed (and so hashed) under the current key. */
  isCurrent(row: Pick<CustomerRow, 'pii_sealed'>): boolean;
  /** Hashes of a raw value under every key (the current one first), to find rows by it. */
  hashes(field: PiiField, raw: string): string[];
}

export function createSealer(box: SecretBox, hash: KeyedHash): Sealer {
  const hashes = (field: PiiField, raw: string) => hash.hashes(`${field}:${keptForm(field, raw).hashed}`);
  return {
    hashes,
    seal(customerId, pii) {
      const one = (f: PiiField) => {
        const v = pii[f];
        return v ? { hash: hashes(f, v)[0]!, masked: keptForm(f, v).masked } : { hash: null, masked: null };
      };
      const [phone, email, id, card] = PII_FIELDS.map(one) as [
        ReturnType<typeof one>,
        ReturnType<typeof one>,
        ReturnType<typeof one>,
        ReturnType<typeof one>,
      ];
      return {
        pii_sealed: box.seal(pii, `customer:${customerId}`),
        phone_hash: phone.hash,
        email_hash: email.hash,
        id_number_hash: id.hash,
        bank_card_hash: card.hash,
        phone_masked: phone.masked,
        email_masked: email.masked,
        id_number_masked: id.masked,
        bank_card_masked: card.masked,
      };
    },
    open: (row) => box.open<Pii>(row.pii_sealed, `customer:${row.id}`),
    isCurrent: (row) => box.isCurrent(row.pii_sealed),
  };
}
