/**
 * The `vuln_import` case of bench:reports (issue 16, "Speed"): a Nessus v2 file of BENCH_VULN_MB MB
 * (default 500) is written to a temporary directory — hosts with ReportItems of real shape (CVSS v3 and
 * v2 vectors, CVEs, a synopsis, a description and a solution of some hundreds of bytes), every finding
 * distinct — then imported through the import path the API and CLI use (streamed, parsed, scored, mapped,
 * written in batches) into a fresh embedded SQLite store. Peak RSS is the process's maximum resident set
 * (getrusage): the streaming import must not grow with the file. The file and the store are deleted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compose } from '../src/server/compose.js';
import { loadConfig } from '../src/server/platform/config.js';
import { migrate } from '../src/server/platform/db/connect.js';

const MiB = 1024 * 1024;
const ITEMS_PER_HOST = 40;
const VECTORS = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS2#AV:N/AC:L/Au:N/C:C/I:C/A:C', 'Critical'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 'CVSS2#AV:N/AC:L/Au:S/C:C/I:N/A:N', 'High'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N', 'CVSS2#AV:N/AC:H/Au:N/C:P/I:P/A:N', 'Medium'],
  ['', 'CVSS2#AV:L/AC:H/Au:N/C:P/I:N/A:N', 'Low'],
] as const;
const PROSE =
  'The remote service is affected by a vulnerability that allows an unauthenticated attacker to read or modify data. ' +
  'Note that Nessus has not tested for this issue but has instead relied only on the application self-reported version number. ';

function item(host: number, i: number): string {
  const plugin = 100_000 + ((host * 7919 + i) % 90_000);
  const [v3, v2, risk] = VECTORS[i % VECTORS.length]!;
  const cve = `CVE-20${10 + (i % 15)}-${String(10_000 + ((host * 31 + i) % 89_999))}`;
  return `<ReportItem port="${1024 + i}" svc_name="www" protocol="tcp" severity="${3 - (i % 4)}" pluginID="${plugin}" pluginName="Synthetic finding ${plugin} on port ${1024 + i}" pluginFamily="Web Servers">
<risk_factor>${risk}</risk_factor>
${v3 ? `<cvss3_vector>${v3}</cvss3_vector>\n` : ''}<cvss_vector>${v2}</cvss_vector>
<cve>${cve}</cve>
<synopsis>The remote web server is affected by a vulnerability (${plugin}).</synopsis>
<description>${PROSE}${PROSE}</description>
<solution>Upgrade to the latest version of the affected software &amp; restart the service.</solution>
<plugin_output>Installed version : 2.4.${i % 60}\nFixed version : 2.4.${(i % 60) + 1}</plugin_output>
</ReportItem>
`;
}

/** Writes a Nessus v2 file of about `bytes` bytes; the number of findings in it. */
export function writeNessus(file: string, bytes: number): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let findings = 0;
  try {
    written += fs.writeSync(fd, '<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Report name="bench">\n');
    for (let host = 0; written < bytes; host++) {
      const name = `host-${host}.bench.example`;
      let chunk = `<ReportHost name="${name}"><HostProperties><tag name="host-ip">10.${(host >> 16) & 255}.${(host >> 8) & 255}.${host & 255}</tag><tag name="host-fqdn">${name}</tag></HostProperties>\n`;
      for (let i = 0; i < ITEMS_PER_HOST; i++) chunk += item(host, i);
      chunk += '</ReportHost>\n';
      written += fs.writeSync(fd, chunk);
      findings += ITEMS_PER_HOST;
    }
    fs.writeSync(fd, '</Report>\n</NessusClientData_v2>\n');
  } finally {
    fs.closeSync(fd);
  }
  return findings;
}

export async function benchVulnImport(): Promise<Record<string, unknown>> {
  const mb = Number(process.env.BENCH_VULN_MB ?? 500);
  if (!Number.isFinite(mb) || mb <= 0)
    throw new Error(`BENCH_VULN_MB wants a number of megabytes, not ${process.env.BENCH_VULN_MB}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-bench-vulns-'));
  try {
    const file = path.join(dir, 'scan.nessus');
    const expected = writeNessus(file, mb * MiB);
    const s = await compose(loadConfig({ TOCSIN_DATA_DIR: path.join(dir, 'data'), TOCSIN_LOG_LEVEL: 'silent' }), {
      sink: () => {},
    });
    try {
      await migrate(s.store);
      const t0 = performance.now();
      const result = await s.vulnerabilities.importFile(
        { id: null, label: 'bench:reports' },
        { format: 'nessus', scanner: 'bench', scope: 'bench', fileName: 'scan.nessus', path: file },
      );
      const elapsed = (performance.now() - t0) / 1000;
      if (result.state !== 'done' || result.counts.new !== expected)
        throw new Error(`the import ended ${result.state} with ${JSON.stringify(result.counts)}; ${expected} expected`);
      return {
        bench: 'reports',
        case: 'vuln_import',
        store: 'sqlite',
        file_mb: Number((fs.statSync(file).size / MiB).toFixed(1)),
        findings: result.counts.new,
        elapsed_s: Number(elapsed.toFixed(2)),
        findings_per_s: Math.round(result.counts.new / elapsed),
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      };
    } finally {
      await s.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
