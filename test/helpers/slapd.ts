/**
 * A real OpenLDAP server (Debian's slapd) for the directory tests: a temporary folder with slapd.conf
 * (mdb), a small directory loaded with slapadd, slapd listening on a free loopback port; `stop()` ends
 * it and removes the folder. With `{ tls: true }` it also listens on ldaps:// (and offers StartTLS on
 * ldap://) with a throwaway CA and server certificate made at start (test/helpers/test-ca.ts). Without slapd: `available` is false (tests skip with a reason) — but under
 * CI=true that is a failure, since CI installs slapd (.ci/run).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeCa, makeServerCert } from './test-ca.js';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
export const slapdAvailable = fs.existsSync(SLAPD) && fs.existsSync(SLAPADD);
if (!slapdAvailable && process.env.CI === 'true')
  throw new Error('slapd is not installed: CI must install slapd and ldap-utils (.ci/run)');

export const BASE_DN = 'dc=firm,dc=test';
export const ADMIN_DN = `cn=admin,${BASE_DN}`;
export const ADMIN_PASSWORD = 'directory-admin-secret';

export interface Person {
  uid: string;
  name: string;
  email: string;
  password: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const personDn = (uid: string) => `uid=${uid},ou=people,${BASE_DN}`;
const groupDn = (cn: string) => `cn=${cn},ou=groups,${BASE_DN}`;

function ldif(people: Person[], groups: Record<string, string[]>): string {
  const out = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: firm\no: Firm`,
    `dn: ou=people,${BASE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: groups`,
  ];
  for (const p of people)
    out.push(
      `dn: ${personDn(p.uid)}\nobjectClass: inetOrgPerson\nuid: ${p.uid}\ncn: ${p.name}\nsn: ${p.name.split(' ').pop()}\nmail: ${p.email}\nuserPassword: ${p.password}`,
    );
  for (const [cn, members] of Object.entries(groups))
    out.push(
      `dn: ${groupDn(cn)}\nobjectClass: groupOfNames\ncn: ${cn}\n${members.map((m) => `member: ${personDn(m)}`).join('\n')}`,
    );
  return `${out.join('\n\n')}\n`;
}

export interface Slapd {
  url: string;
  /** With `{ tls: true }`: the ldaps:// URL and the CA that signed the server certificate. */
  tls?: { ldapsUrl: string; caFile: string };
  stop(): Promise<void>;
  /** Takes a person out of a group (as an administrator would, over LDAP). */
  removeFromGroup(group: string, uid: string): Promise<void>;
  personDn: typeof personDn;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

export async function startSlapd(
  people: Person[],
  groups: Record<string, string[]>,
  options: { tls?: boolean } = {},
): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-slapd-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  let tlsLines: string[] = [];
  let caFile = '';
  if (options.tls) {
    const ca = makeCa(dir, 'slapd');
    const server = makeServerCert(dir, ca, 'slapd-server');
    caFile = ca.caFile;
    tlsLines = [
      `TLSCACertificateFile ${ca.caFile}`,
      `TLSCertificateFile ${server.certFile}`,
      `TLSCertificateKeyFile ${server.keyFile}`,
    ];
  }
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(
    conf,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${path.join(dir, 'slapd.pid')}`,
      ...tlsLines,
      'database mdb',
      'maxsize 10485760',
      `suffix "${BASE_DN}"`,
      `rootdn "${ADMIN_DN}"`,
      `rootpw ${ADMIN_PASSWORD}`,
      `directory ${data}`,
      'access to attrs=userPassword by self write by anonymous auth by * none',
      'access to * by * read',
      '',
    ].join('\n'),
  );
  const ldifFile = path.join(dir, 'init.ldif');
  fs.writeFileSync(ldifFile, ldif(people, groups));
  execFileSync(SLAPADD, ['-f', conf, '-l', ldifFile], { stdio: 'pipe' });
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const tlsPort = options.tls ? await freePort() : null;
  const ldapsUrl = tlsPort ? `ldaps://127.0.0.1:${tlsPort}` : null;
  const listen = ldapsUrl ? `${url}/ ${ldapsUrl}/` : `${url}/`;
  const child: ChildProcess = spawn(SLAPD, ['-f', conf, '-h', listen, '-d', '0'], { stdio: 'ignore' });
  // Ready when it accepts a connection (on each port).
  for (let i = 0; ; i++) {
    if ((await accepts(port)) && (!tlsPort || (await accepts(tlsPort)))) break;
    if (i > 200 || child.exitCode !== null) throw new Error(`slapd did not start (exit ${child.exitCode})`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const { Client } = await import('ldapts');
  return {
    url,
    ...(ldapsUrl ? { tls: { ldapsUrl, caFile } } : {}),
    personDn,
    async removeFromGroup(group, uid) {
      const { Attribute, Change } = await import('ldapts');
      const c = new Client({ url });
      await c.bind(ADMIN_DN, ADMIN_PASSWORD);
      await c.modify(
        groupDn(group),
        new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [personDn(uid)] }) }),
      );
      await c.unbind();
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
