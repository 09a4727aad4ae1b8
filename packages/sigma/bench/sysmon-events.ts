/**
 * Sysmon process-creation events (EventID 1, evtx_dump JSON, as in SigmaHQ's regression_data),
 * generated from a seed: ordinary programs (sysmon-programs.ts), and a share of copies of events that
 * match (the regression data's), given fresh record numbers and times.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readJsonValues } from '../src/index.js';
import { toEventSet, type EventSet, type Rng, rng } from './event-set.js';
import { PROGRAMS, type Program, TOTAL_WEIGHT } from './sysmon-programs.js';

function pickProgram(r: Rng): Program {
  let x = r.next() * TOTAL_WEIGHT;
  for (const p of PROGRAMS) {
    x -= p.weight;
    if (x < 0) return p;
  }
  return PROGRAMS[0]!;
}

function sysmonEvent(r: Rng, t: number, rec: number, hosts: number, users: number): Record<string, unknown> {
  const p = pickProgram(r);
  const hostN = r.int(hosts);
  const computer = `${hostN % 10 === 0 ? 'SRV' : 'WS'}-${String(hostN).padStart(4, '0')}.corp.example.com`;
  const system = r.next() < 0.35;
  const uname = `u${String(r.int(users)).padStart(5, '0')}`;
  const user = system ? 'NT AUTHORITY\\SYSTEM' : `CORP\\${uname}`;
  const home = `C:\\Users\\${uname}`;
  const parent = r.pick(p.parents);
  const iso = new Date(t).toISOString();
  return {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9' } },
        EventID: 1,
        Version: 5,
        Level: 4,
        Task: 1,
        Opcode: 0,
        Keywords: '0x8000000000000000',
        TimeCreated: { '#attributes': { SystemTime: iso.replace('Z', '123Z') } },
        EventRecordID: rec,
        Correlation: null,
        Execution: { '#attributes': { ProcessID: 2000 + r.int(6000), ThreadID: 1000 + r.int(9000) } },
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Computer: computer,
        Security: { '#attributes': { UserID: 'S-1-5-18' } },
      },
      EventData: {
        RuleName: '-',
        UtcTime: iso.replace('T', ' ').replace('Z', ''),
        ProcessGuid: r.guid(),
        ProcessId: 1000 + r.int(60000),
        Image: p.image,
        FileVersion: `10.0.${19041 + r.int(7000)}.${r.int(5000)} (WinBuild.160101.0800)`,
        Description: p.description,
        Product: p.product,
        Company: p.company,
        OriginalFileName: p.original,
        CommandLine: p.cmd(r, { user, home }),
        CurrentDirectory: system ? 'C:\\WINDOWS\\system32\\' : `${home}\\`,
        User: user,
        LogonGuid: r.guid(),
        LogonId: `0x${r.int(0xffffff).toString(16)}`,
        TerminalSessionId: system ? 0 : 1 + r.int(3),
        IntegrityLevel: system ? 'System' : r.next() < 0.1 ? 'High' : 'Medium',
        Hashes: `MD5=${r.hex(32)},SHA256=${r.hex(64)},IMPHASH=${r.hex(32)}`,
        ParentProcessGuid: r.guid(),
        ParentProcessId: 500 + r.int(60000),
        ParentImage: parent,
        ParentCommandLine: parent.endsWith('services.exe')
          ? 'C:\\WINDOWS\\system32\\services.exe'
          : parent.endsWith('svchost.exe')
            ? 'C:\\WINDOWS\\system32\\svchost.exe -k DcomLaunch -p'
            : `"${parent}"`,
        ParentUser: user,
      },
    },
  };
}

/** Sysmon EventID 1 events in regression_data (evtx_dump JSON) that `matches` says match. */
export async function regressionProcessCreation(root: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  if (!fs.existsSync(root)) return out;
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.json') ? [path.join(d, e.name)] : [],
      );
  for (const f of walk(root).sort()) {
    for await (const v of readJsonValues([fs.readFileSync(f, 'utf8')])) {
      if (!('value' in v)) continue;
      const sys = (v.value as { Event?: { System?: { EventID?: unknown; Channel?: unknown } } }).Event?.System;
      if (sys && Number(sys.EventID) === 1 && sys.Channel === 'Microsoft-Windows-Sysmon/Operational')
        out.push(v.value as Record<string, unknown>);
    }
  }
  return out;
}

/**
 * `n` Sysmon process-creation events, one NDJSON line each: benign programs, and `plantedPct` percent
 * copied from `matching` (given a fresh record number and time), spread evenly by the seed.
 */
export function sysmonEvents(opts: {
  n: number;
  seed: number;
  matching: Record<string, unknown>[];
  plantedPct: number;
  start?: number;
  hosts?: number;
  users?: number;
}): EventSet {
  const r = rng(opts.seed);
  const start = opts.start ?? Date.UTC(2026, 0, 5, 1, 30);
  const lines: string[] = [];
  const keys: string[] = [];
  let planted = 0;
  for (let i = 0; i < opts.n; i++) {
    const t = start + Math.floor(i / 10); // 10,000 events a second of event time
    let ev: Record<string, unknown>;
    if (opts.matching.length && r.next() * 100 < opts.plantedPct) {
      ev = structuredClone(r.pick(opts.matching));
      const sys = (ev.Event as { System: Record<string, unknown> }).System;
      sys.EventRecordID = 100_000 + i;
      sys.TimeCreated = { '#attributes': { SystemTime: new Date(t).toISOString() } };
      planted++;
    } else ev = sysmonEvent(r, t, 100_000 + i, opts.hosts ?? 2000, opts.users ?? 20_000);
    lines.push(JSON.stringify(ev));
    keys.push(`h:${String((ev.Event as { System: { Computer: unknown } }).System.Computer)}`);
  }
  return { ...toEventSet(lines, keys, planted) };
}
