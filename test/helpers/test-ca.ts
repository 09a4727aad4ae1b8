/**
 * Throwaway certificates for TLS tests, made with the `openssl` CLI at test time (nothing is kept in
 * the tree): a CA, and a server certificate it signs for 127.0.0.1 and localhost. Keys are EC P-256
 * (fast to make), valid for two days, written into the caller's temporary folder.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface TestCa {
  /** PEM of the CA certificate (what a client trusts). */
  caFile: string;
  caKey: string;
}

/** A self-signed CA named `name`, files `<name>-ca.pem` and `<name>-ca.key` in `dir`. */
export function makeCa(dir: string, name: string): TestCa {
  const caFile = path.join(dir, `${name}-ca.pem`);
  const caKey = path.join(dir, `${name}-ca.key`);
  openssl(
    [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      caKey,
      '-out',
      caFile,
      '-days',
      '2',
      '-subj',
      `/CN=Tocsin test CA ${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return { caFile, caKey };
}

/** A server certificate for 127.0.0.1 and localhost signed by `ca`: `<name>.pem` and `<name>.key` in `dir`. */
export function makeServerCert(dir: string, ca: TestCa, name: string): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, `${name}.pem`);
  const keyFile = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(
    ext,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  );
  openssl(['req', '-new', ...EC, '-keyout', keyFile, '-out', csr, '-subj', '/CN=localhost'], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.caFile,
      '-CAkey',
      ca.caKey,
      '-CAcreateserial',
      '-out',
      certFile,
      '-days',
      '2',
      '-extfile',
      ext,
    ],
    dir,
  );
  return { certFile, keyFile };
}
