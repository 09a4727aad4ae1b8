/**
 * Data for bench:detect, generated deterministically from a seed: Sysmon process-creation events
 * (evtx_dump JSON, as in ../shared/sigma/regression_data) and events in our own log sources, derived
 * from the rules in rules/tocsin (their log sources, field names and test events).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { readJsonValues } from '../src/server/modules/detection/sigma/index.js';

/** A small fast PRNG (mulberry32): the same seed gives the same events. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const hex = (n: number) => {
    let s = '';
    while (s.length < n) s += int(0x10000).toString(16).padStart(4, '0');
    return s.slice(0, n).toUpperCase();
  };
  const guid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  return { next, int, pick, hex, guid };
}
export type Rng = ReturnType<typeof rng>;

/** FNV-1a: a stable hash for partitioning events by a key. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Lines of NDJSON in one buffer, with where each line starts and ends and an optional partition key. */
export interface EventSet {
  buf: Buffer;
  /** starts[i], ends[i]: line i is buf[starts[i], ends[i]). */
  starts: Uint32Array;
  ends: Uint32Array;
  keys: string[] | null;
  /** Lines copied from matching events (regression data, rule test events). */
  planted: number;
}

export function toEventSet(lines: string[], keys: string[] | null, planted: number): EventSet {
  const buf = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const starts = new Uint32Array(lines.length);
  const ends = new Uint32Array(lines.length);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    const end = buf.indexOf(0x0a, at);
    starts[i] = at;
    ends[i] = end;
    at = end + 1;
  }
  return { buf, starts, ends, keys, planted };
}

// ---------------------------------------------------------------- Sysmon EventID 1 (process creation)

interface Program {
  image: string;
  original: string;
  description: string;
  product: string;
  company: string;
  weight: number;
  parents: string[];
  cmd: (r: Rng, ctx: { user: string; home: string }) => string;
}

const MS = 'Microsoft Corporation';
const WIN = 'Microsoft® Windows® Operating System';
const SYS32 = 'C:\\Windows\\System32';

const DOCS = ['季度报告', 'report', 'minutes', 'budget', 'trade-recon', 'client-list', 'risk-limits', 'settlement'];
const SVC_GROUPS: [string, string][] = [
  ['netsvcs -p', 'Schedule'],
  ['netsvcs -p', 'gpsvc'],
  ['netsvcs -p', 'Winmgmt'],
  ['LocalServiceNetworkRestricted -p', 'Dhcp'],
  ['NetworkService -p', 'Dnscache'],
  ['LocalSystemNetworkRestricted -p', 'SysMain'],
  ['DcomLaunch -p', 'PlugPlay'],
  ['UnistackSvcGroup', 'CDPUserSvc'],
  ['wsappx -p', 'AppXSvc'],
  ['LocalService -p', 'EventSystem'],
];

/** Ordinary programs on a securities firm's Windows desktops and servers. */
const PROGRAMS: Program[] = [
  {
    image: `${SYS32}\\svchost.exe`,
    original: 'svchost.exe',
    description: 'Host Process for Windows Services',
    product: WIN,
    company: MS,
    weight: 14,
    parents: [`${SYS32}\\services.exe`],
    cmd: (r) => {
      const [g, s] = r.pick(SVC_GROUPS);
      return `C:\\Windows\\system32\\svchost.exe -k ${g} -s ${s}`;
    },
  },
  {
    image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    original: 'chrome.exe',
    description: 'Google Chrome',
    product: 'Google Chrome',
    company: 'Google LLC',
    weight: 12,
    parents: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Windows\\explorer.exe'],
    cmd: (r) =>
      `"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=zh-CN --renderer-client-id=${r.int(400)} --time-ticks-at-unix-epoch=-${1_700_000_000_000_000 + r.int(1e9)} --launch-time-ticks=${r.int(1e10)} --field-trial-handle=${r.int(9000)},i,${r.int(1e18)},${r.int(1e18)},262144 /prefetch:1`,
  },
  {
    image: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    original: 'msedge.exe',
    description: 'Microsoft Edge',
    product: 'Microsoft Edge',
    company: MS,
    weight: 8,
    parents: ['C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'],
    cmd: (r) =>
      `"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=zh-CN --service-sandbox-type=none --mojo-platform-channel-handle=${r.int(9000)} --field-trial-handle=${r.int(9000)},i,${r.int(1e18)},${r.int(1e18)},262144 /prefetch:3`,
  },
  {
    image: `${SYS32}\\conhost.exe`,
    original: 'CONHOST.EXE',
    description: 'Console Window Host',
    product: WIN,
    company: MS,
    weight: 6,
    parents: [`${SYS32}\\cmd.exe`, 'C:\\Program Files\\Git\\cmd\\git.exe', 'D:\\OMS\\bin\\oms-gateway.exe'],
    cmd: () => '\\??\\C:\\WINDOWS\\system32\\conhost.exe 0x4',
  },
  {
    image: `${SYS32}\\RuntimeBroker.exe`,
    original: 'RuntimeBroker.exe',
    description: 'Runtime Broker',
    product: WIN,
    company: MS,
    weight: 5,
    parents: [`${SYS32}\\svchost.exe`],
    cmd: () => 'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding',
  },
  {
    image: `${SYS32}\\backgroundTaskHost.exe`,
    original: 'backgroundTaskHost.exe',
    description: 'Background Task Host',
    product: WIN,
    company: MS,
    weight: 4,
    parents: [`${SYS32}\\svchost.exe`],
    cmd: (r) =>
      `"C:\\WINDOWS\\system32\\backgroundTaskHost.exe" -ServerName:${r.pick(['App.AppXmtcan0h2tfbfy7k9kn8hbxb6dmzz1zh0.mca', 'BackgroundTaskHost.WebAccountProvider', 'CortanaUI.AppXy7vb4pc2dr3kc93kfc509b1d0arkfb2x.mca'])}`,
  },
  {
    image: `${SYS32}\\SearchProtocolHost.exe`,
    original: 'searchprotocolhost.exe',
    description: 'Microsoft Windows Search Protocol Host',
    product: WIN,
    company: MS,
    weight: 4,
    parents: [`${SYS32}\\SearchIndexer.exe`],
    cmd: (r) =>
      `"C:\\WINDOWS\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe${r.int(90)}_ Global\\UsGthrCtrlFltPipeMssGthrPipe${r.int(90)} 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon"`,
  },
  {
    image: `${SYS32}\\taskhostw.exe`,
    original: 'taskhostw.exe',
    description: 'Host Process for Windows Tasks',
    product: WIN,
    company: MS,
    weight: 3,
    parents: [`${SYS32}\\svchost.exe`],
    cmd: (r) => `taskhostw.exe {${r.guid()}}`,
  },
  {
    image: `${SYS32}\\dllhost.exe`,
    original: 'dllhost.exe',
    description: 'COM Surrogate',
    product: WIN,
    company: MS,
    weight: 3,
    parents: [`${SYS32}\\svchost.exe`],
    cmd: () => 'C:\\WINDOWS\\system32\\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}',
  },
  {
    image: `${SYS32}\\wbem\\WmiPrvSE.exe`,
    original: 'Wmiprvse.exe',
    description: 'WMI Provider Host',
    product: WIN,
    company: MS,
    weight: 2,
    parents: [`${SYS32}\\svchost.exe`],
    cmd: () => 'C:\\WINDOWS\\system32\\wbem\\wmiprvse.exe -secured -Embedding',
  },
  {
    image: 'C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe',
    original: 'OneDrive.exe',
    description: 'Microsoft OneDrive',
    product: 'Microsoft OneDrive',
    company: MS,
    weight: 2,
    parents: ['C:\\Windows\\explorer.exe'],
    cmd: () => '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background',
  },
  {
    image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
    original: 'WinWord.exe',
    description: 'Microsoft Word',
    product: 'Microsoft Office',
    company: MS,
    weight: 3,
    parents: ['C:\\Windows\\explorer.exe'],
    cmd: (r, c) =>
      `"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "${c.home}\\Documents\\${r.pick(DOCS)}-${2020 + r.int(6)}Q${1 + r.int(4)}.docx" /o ""`,
  },
  {
    image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE',
    original: 'Excel.exe',
    description: 'Microsoft Excel',
    product: 'Microsoft Office',
    company: MS,
    weight: 3,
    parents: ['C:\\Windows\\explorer.exe', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE'],
    cmd: (r, c) =>
      `"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE" "${c.home}\\Desktop\\${r.pick(DOCS)}_${r.int(999)}.xlsx"`,
  },
  {
    image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
    original: 'Outlook.exe',
    description: 'Microsoft Outlook',
    product: 'Microsoft Office',
    company: MS,
    weight: 1,
    parents: ['C:\\Windows\\explorer.exe'],
    cmd: () => '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE" /recycle',
  },
  {
    image: 'C:\\Program Files\\Git\\cmd\\git.exe',
    original: 'git.exe',
    description: 'Git for Windows',
    product: 'Git',
    company: 'The Git Development Community',
    weight: 2,
    parents: ['C:\\Program Files\\Microsoft VS Code\\Code.exe'],
    cmd: (r) =>
      `"C:\\Program Files\\Git\\cmd\\git.exe" ${r.pick(['status -z -uall', 'fetch --prune origin', 'log --oneline -n 20', 'rev-parse --show-toplevel', 'diff --stat HEAD~1'])}`,
  },
  {
    image: 'C:\\Program Files\\nodejs\\node.exe',
    original: 'node.exe',
    description: 'Node.js JavaScript Runtime',
    product: 'Node.js',
    company: 'Node.js',
    weight: 1,
    parents: ['C:\\Program Files\\Microsoft VS Code\\Code.exe'],
    cmd: (r) =>
      `"C:\\Program Files\\nodejs\\node.exe" --max-old-space-size=4096 D:\\apps\\quote-cache\\dist\\server.mjs --port ${3000 + r.int(100)}`,
  },
  {
    image: 'C:\\Program Files\\Microsoft VS Code\\Code.exe',
    original: 'electron.exe',
    description: 'Visual Studio Code',
    product: 'Visual Studio Code',
    company: MS,
    weight: 2,
    parents: ['C:\\Program Files\\Microsoft VS Code\\Code.exe'],
    cmd: (r) =>
      `"C:\\Program Files\\Microsoft VS Code\\Code.exe" --type=utility --utility-sub-type=node.mojom.NodeService --lang=en-US --service-sandbox-type=none --field-trial-handle=${r.int(9000)},i,${r.int(1e18)},${r.int(1e18)},262144 /prefetch:8`,
  },
  {
    image: 'C:\\Windows\\explorer.exe',
    original: 'EXPLORER.EXE',
    description: 'Windows Explorer',
    product: WIN,
    company: MS,
    weight: 1,
    parents: [`${SYS32}\\userinit.exe`],
    cmd: () => 'C:\\WINDOWS\\Explorer.EXE',
  },
  {
    image: `${SYS32}\\notepad.exe`,
    original: 'NOTEPAD.EXE',
    description: 'Notepad',
    product: WIN,
    company: MS,
    weight: 1,
    parents: ['C:\\Windows\\explorer.exe'],
    cmd: (r, c) => `"C:\\WINDOWS\\system32\\NOTEPAD.EXE" ${c.home}\\Desktop\\notes-${r.int(50)}.txt`,
  },
  {
    image: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe',
    original: 'MpCmdRun.exe',
    description: 'Microsoft Malware Protection Command Line Utility',
    product: WIN,
    company: MS,
    weight: 1,
    parents: [`${SYS32}\\svchost.exe`],
    cmd: () =>
      '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe" SignaturesUpdateService -ScheduleJob -UnmanagedUpdate',
  },
  {
    image: `${SYS32}\\smartscreen.exe`,
    original: 'smartscreen.exe',
    description: 'Windows Defender SmartScreen',
    product: WIN,
    company: MS,
    weight: 1,
    parents: [`${SYS32}\\svchost.exe`],
    cmd: () => 'C:\\Windows\\System32\\smartscreen.exe -Embedding',
  },
  {
    image: `${SYS32}\\sihost.exe`,
    original: 'sihost.exe',
    description: 'Shell Infrastructure Host',
    product: WIN,
    company: MS,
    weight: 1,
    parents: [`${SYS32}\\svchost.exe`],
    cmd: () => 'sihost.exe',
  },
  {
    image: `${SYS32}\\ctfmon.exe`,
    original: 'CTFMON.EXE',
    description: 'CTF Loader',
    product: WIN,
    company: MS,
    weight: 1,
    parents: [`${SYS32}\\svchost.exe`],
    cmd: () => '"ctfmon.exe"',
  },
  {
    image: 'C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe',
    original: 'vmtoolsd.exe',
    description: 'VMware Tools Core Service',
    product: 'VMware Tools',
    company: 'VMware, Inc.',
    weight: 1,
    parents: ['C:\\Windows\\explorer.exe'],
    cmd: () => '"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe" -n vmusr',
  },
  {
    image: 'C:\\Program Files\\Java\\jre-17\\bin\\java.exe',
    original: 'java.exe',
    description: 'Java(TM) Platform SE binary',
    product: 'Java(TM) Platform SE 17',
    company: 'Oracle Corporation',
    weight: 1,
    parents: [`${SYS32}\\services.exe`],
    cmd: (r) =>
      `"C:\\Program Files\\Java\\jre-17\\bin\\java.exe" -Xms512m -Xmx4g -Dfile.encoding=UTF-8 -jar D:\\apps\\settlement-batch\\settlement-batch-${1 + r.int(4)}.${r.int(20)}.jar --spring.profiles.active=prod`,
  },
  // Trading terminals found on securities firms' desktops.
  {
    image: 'C:\\同花顺软件\\同花顺\\hexin.exe',
    original: 'hexin.exe',
    description: '同花顺',
    product: '同花顺',
    company: '浙江核新同花顺网络信息股份有限公司',
    weight: 2,
    parents: ['C:\\Windows\\explorer.exe'],
    cmd: () => '"C:\\同花顺软件\\同花顺\\hexin.exe"',
  },
  {
    image: 'C:\\new_tdx\\TdxW.exe',
    original: 'TdxW.exe',
    description: '通达信金融终端',
    product: '通达信',
    company: '深圳市财富趋势科技股份有限公司',
    weight: 2,
    parents: ['C:\\Windows\\explorer.exe'],
    cmd: (r) => `"C:\\new_tdx\\TdxW.exe" /server:${10 + r.int(200)}.${r.int(255)}.${r.int(255)}.${r.int(255)}:7709`,
  },
  {
    image: 'D:\\OMS\\bin\\oms-gateway.exe',
    original: 'oms-gateway.exe',
    description: 'Order gateway',
    product: 'OMS',
    company: 'Example Securities',
    weight: 1,
    parents: [`${SYS32}\\services.exe`],
    cmd: (r) =>
      `"D:\\OMS\\bin\\oms-gateway.exe" --config D:\\OMS\\conf\\gateway-${r.pick(['sh', 'sz', 'hk'])}.toml --instance ${r.int(8)}`,
  },
  // Administrators do run shells; most of what they run is dull.
  {
    image: `${SYS32}\\cmd.exe`,
    original: 'Cmd.Exe',
    description: 'Windows Command Processor',
    product: WIN,
    company: MS,
    weight: 2,
    parents: ['C:\\Windows\\explorer.exe', `${SYS32}\\svchost.exe`],
    cmd: (r) => `C:\\WINDOWS\\system32\\cmd.exe /c "D:\\OMS\\scripts\\rotate-logs.cmd ${r.int(30)}"`,
  },
  {
    image: `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`,
    original: 'PowerShell.EXE',
    description: 'Windows PowerShell',
    product: WIN,
    company: MS,
    weight: 1,
    parents: ['C:\\Windows\\explorer.exe'],
    cmd: () => '"C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" ',
  },
];
const TOTAL_WEIGHT = PROGRAMS.reduce((a, p) => a + p.weight, 0);

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

// ---------------------------------------------------------------- our own log sources (rules/tocsin)

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
type Ls = { product?: string; category?: string; service?: string };
const LS_KEYS = ['product', 'category', 'service'] as const;
const lsKey = (ls: Ls) => LS_KEYS.map((k) => ls[k] ?? '').join('|');
const lsOf = (v: unknown): Ls => {
  const out: Ls = {};
  if (isMap(v)) for (const k of LS_KEYS) if (typeof v[k] === 'string' && v[k]) out[k] = (v[k] as string).toLowerCase();
  return out;
};
/** A rule's log source applies to an event's when every field the rule names is equal. */
const covers = (rule: Ls, ev: Ls) => LS_KEYS.every((k) => rule[k] === undefined || rule[k] === ev[k]);

/** The log source an event names; an evtx_dump event is `windows` and its channel's service. */
export function eventLogsource(v: Record<string, unknown>): Ls {
  const sys = isMap(v.Event) && isMap(v.Event.System) ? v.Event.System : null;
  if (sys)
    return typeof sys.Channel === 'string' && /^(security|system|application)$/i.test(sys.Channel)
      ? { product: 'windows', service: sys.Channel.toLowerCase() }
      : { product: 'windows' };
  return lsOf(v.logsource);
}

export interface TestEvent {
  value: Record<string, unknown>;
  /** From a file named positive*. */
  positive: boolean;
  /** Its log source's partition group, if a rule applies to it. */
  group: string | null;
}

/** Log sources that correlations tie together: their events must meet on one worker, or be split by `split`. */
export interface PartitionGroup {
  sources: string[];
  /** A field every correlation of the group groups by (events hashed on it); `*` when it has no correlation; null: not splittable. */
  split: string | null;
  why: string;
}

export interface OwnRuleInfo {
  files: number;
  detectionRules: number;
  correlations: number;
  /** Log sources of the detection rules, with the fields their detections name and the literal values they use. */
  logsources: { ls: Ls; fields: Map<string, Set<string | number>> }[];
  /** JSON test events found beside the rules (`*.json`, `*.ndjson`, `*.jsonl`). */
  testEvents: TestEvent[];
  groups: Map<string, PartitionGroup>;
  /** The partition group of an event's log source (the first rule log source that applies), or null. */
  groupOf(ls: Ls): string | null;
}

/** Reads rule files and test events under `dir`: what events our rules expect, and how they may be partitioned. */
export async function inspectOwnRules(dir: string): Promise<OwnRuleInfo> {
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) =>
        e.name.startsWith('.') ? [] : e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)],
      );
  const byLs = new Map<string, OwnRuleInfo['logsources'][number]>();
  const ruleLs = new Map<string, string>(); // rule id or name -> lsKey
  const corrs: { refs: string[]; names: string[]; groupBy: string[]; aliased: boolean }[] = [];
  let files = 0;
  let detectionRules = 0;
  const collect = (det: Record<string, unknown>, into: Map<string, Set<string | number>>) => {
    const visit = (v: unknown) => {
      if (Array.isArray(v)) return v.forEach(visit);
      if (!isMap(v)) return;
      for (const [k, x] of Object.entries(v)) {
        const field = k.split('|')[0]!;
        if (!field) continue;
        const set = into.get(field) ?? new Set();
        into.set(field, set);
        for (const y of Array.isArray(x) ? x : [x]) if (typeof y === 'string' || typeof y === 'number') set.add(y);
      }
    };
    for (const [k, v] of Object.entries(det)) if (k !== 'condition' && k !== 'timeframe') visit(v);
  };
  const raw: { file: string; value: Record<string, unknown> }[] = [];
  for (const f of walk(dir).sort()) {
    if (/\.ya?ml$/i.test(f)) {
      files++;
      let docs: YAML.Document[];
      try {
        docs = YAML.parseAllDocuments(fs.readFileSync(f, 'utf8')) as YAML.Document[];
      } catch {
        continue;
      }
      for (const d of docs) {
        const v: unknown = d.toJS({ maxAliasCount: 50 });
        if (!isMap(v)) continue;
        const names = [v.id, v.name].filter((x): x is string => typeof x === 'string');
        if (isMap(v.correlation)) {
          const c = v.correlation;
          const refs = (Array.isArray(c.rules) ? c.rules : [c.rules]).filter((x): x is string => typeof x === 'string');
          corrs.push({
            refs,
            names,
            groupBy: (Array.isArray(c['group-by']) ? c['group-by'] : []).map(String),
            aliased: isMap(c.aliases) && Object.keys(c.aliases).length > 0,
          });
        } else if (isMap(v.detection) && isMap(v.logsource)) {
          detectionRules++;
          const ls = lsOf(v.logsource);
          const key = lsKey(ls);
          for (const n of names) ruleLs.set(n, key);
          const entry = byLs.get(key) ?? { ls, fields: new Map() };
          byLs.set(key, entry);
          collect(v.detection, entry.fields);
        }
      }
    } else if (/\.(json|ndjson|jsonl)$/i.test(f)) {
      for await (const v of readJsonValues([fs.readFileSync(f, 'utf8')]))
        if ('value' in v && isMap(v.value)) raw.push({ file: f, value: v.value });
    }
  }

  // Union-find over log sources: a correlation ties the log sources of the rules it reads (through chains too).
  const parent = new Map<string, string>([...byLs.keys()].map((k) => [k, k]));
  const find = (k: string): string => (parent.get(k) === k ? k : find(parent.get(k)!));
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const corrByName = new Map<string, (typeof corrs)[number]>();
  for (const c of corrs) for (const n of c.names) corrByName.set(n, c);
  const basesOf = (c: (typeof corrs)[number], seen = new Set<unknown>()): string[] => {
    if (seen.has(c)) return [];
    seen.add(c);
    return c.refs.flatMap((r) =>
      ruleLs.has(r) ? [ruleLs.get(r)!] : corrByName.has(r) ? basesOf(corrByName.get(r)!, seen) : [],
    );
  };
  const corrBases = corrs.map((c) => basesOf(c));
  for (const b of corrBases) for (const k of b.slice(1)) union(b[0]!, k);
  const sorted = [...byLs.values()].sort((a, b) => Object.keys(b.ls).length - Object.keys(a.ls).length);
  const groupOf = (ls: Ls): string | null => {
    const hit = sorted.find((e) => covers(e.ls, ls));
    return hit ? find(lsKey(hit.ls)) : null;
  };
  // An event that two groups' rules apply to ties them too.
  for (const t of raw) {
    const ls = eventLogsource(t.value);
    const hits = sorted.filter((e) => covers(e.ls, ls)).map((e) => lsKey(e.ls));
    for (const k of hits.slice(1)) union(hits[0]!, k);
  }
  const groups = new Map<string, PartitionGroup>();
  for (const k of byLs.keys()) {
    const g = find(k);
    const entry = groups.get(g) ?? { sources: [], split: '*', why: 'no correlation' };
    entry.sources.push(k.replace(/^\||\|$/g, '').replace(/\|+/g, '/'));
    groups.set(g, entry);
  }
  for (const [g, entry] of groups) {
    const mine = corrs.filter((_, i) => corrBases[i]!.some((k) => find(k) === g));
    if (!mine.length) continue;
    const common = mine.reduce<string[]>(
      (acc, c) => acc.filter((f) => !c.aliased && c.groupBy.includes(f)),
      mine[0]!.aliased ? [] : mine[0]!.groupBy,
    );
    entry.split = common[0] ?? null;
    const fields = [
      ...new Set(mine.flatMap((c) => (c.aliased ? ['(aliases)'] : c.groupBy.length ? c.groupBy : ['(nothing)']))),
    ];
    entry.why = `${mine.length} correlation${mine.length > 1 ? 's' : ''} grouping by ${fields.join(', ')}`;
  }
  return {
    files,
    detectionRules,
    correlations: corrs.length,
    logsources: [...byLs.values()],
    testEvents: raw.map((t) => ({
      value: t.value,
      positive: /positive/i.test(path.basename(t.file)),
      group: groupOf(eventLogsource(t.value)),
    })),
    groups,
    groupOf,
  };
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

const ipOf = (r: Rng) => `${r.pick([36, 58, 101, 117, 183, 223])}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
const ENTITY_FIELDS: Record<string, (r: Rng) => string> = {
  user: (r) => String(3_100_000_000 + r.int(2_000_000)),
  src_ip: ipOf,
  device_id: (r) => `dev-${r.hex(8).toLowerCase()}`,
};

/** A benign-looking value for a field: rarely one the rules look for, usually something else of its kind. */
function fillValue(r: Rng, field: string, seen: Set<string | number>): unknown {
  const vals = [...seen];
  if (vals.length && r.next() < 0.02) {
    const v = r.pick(vals);
    return typeof v === 'string' ? v.replace(/\*/g, r.hex(4).toLowerCase()).replace(/\?/g, 'x') : v;
  }
  if (ENTITY_FIELDS[field]) return ENTITY_FIELDS[field]!(r);
  if (/(^|_)ip$|addr/i.test(field)) return ipOf(r);
  if (vals.length && vals.every((v) => typeof v === 'number')) return r.int(Math.max(2, ...(vals as number[])) / 2 + 1);
  return `${
    field
      .toLowerCase()
      .replace(/[^a-z]/g, '')
      .slice(0, 6) || 'v'
  }-${r.int(5000)}`;
}

/** Relative volume of a log source at a brokerage (network flows and orders dominate; complaints are rare). */
const VOLUMES: Record<string, number> = {
  network_connection: 30,
  firewall: 30,
  trading_gateway: 20,
  trading_login: 8,
  file_event: 5,
  file_rename: 5,
  security: 5,
  market_data: 2,
  customer_db: 2,
  account_change: 1,
  bank_transfer: 1,
  crm: 1,
  iam: 0.2,
  complaints: 0.05,
};
const volume = (ls: Ls) => VOLUMES[ls.service ?? ''] ?? VOLUMES[ls.category ?? ''] ?? 1;

/** Sets an event's time, in whichever time field it has (evtx: TimeCreated), else `@timestamp`. */
function retime(ev: Record<string, unknown>, t: number): void {
  const iso = new Date(t).toISOString();
  const sys = isMap(ev.Event) && isMap(ev.Event.System) ? ev.Event.System : null;
  if (sys) {
    sys.TimeCreated = { '#attributes': { SystemTime: iso } };
    return;
  }
  let set = false;
  for (const k of ['@timestamp', 'timestamp', 'time']) {
    if (ev[k] !== undefined) {
      ev[k] = iso;
      set = true;
    }
  }
  if (!set) ev['@timestamp'] = iso;
}

/**
 * `n` events in the log sources our rules use, 10,000 a second of event time from 09:30 CST:
 * `plantedPct` percent copies of the rules' positive test events (a partition group picked at random,
 * then one of its events, accounts and addresses kept, so correlations can build up); the rest
 * background traffic: a log source picked by its usual volume (VOLUMES), then one of its negative test
 * events (user, src_ip and device_id varied) — or, for a rule log source no test event falls in,
 * an event synthesized from the fields the rules read (rarely with a value a rule looks for).
 * A line's key says how it may be partitioned: `h:<value>` (hash it) or `g:<group>` (keep the group together).
 */
export function ownEvents(
  info: OwnRuleInfo,
  opts: { n: number; seed: number; plantedPct: number; start?: number },
): EventSet {
  const r = rng(opts.seed);
  const start = opts.start ?? Date.UTC(2026, 0, 5, 1, 30);
  const positives = [
    ...groupBy(
      info.testEvents.filter((t) => t.positive),
      (t) => t.group ?? '',
    ).values(),
  ];
  // Background traffic: log sources weighted by their usual volume, each its negative test events
  // or, for a rule log source no test event falls in, synthesized events.
  const pools: { weight: number; events: TestEvent[] | null; ls: OwnRuleInfo['logsources'][number] | null }[] = [];
  for (const [k, evs] of groupBy(
    info.testEvents.filter((t) => !t.positive),
    (t) => JSON.stringify(eventLogsource(t.value)),
  ))
    pools.push({ weight: volume(JSON.parse(k) as Ls), events: evs, ls: null });
  const seenLs = info.testEvents.map((t) => eventLogsource(t.value));
  for (const l of info.logsources)
    if (!seenLs.some((e) => covers(l.ls, e))) pools.push({ weight: volume(l.ls), events: null, ls: l });
  const totalWeight = pools.reduce((a, p) => a + p.weight, 0);
  const pickPool = () => {
    let x = r.next() * totalWeight;
    for (const p of pools) {
      x -= p.weight;
      if (x < 0) return p;
    }
    return pools[pools.length - 1]!;
  };
  const lines: string[] = [];
  const keys: string[] = [];
  let planted = 0;
  for (let i = 0; i < opts.n; i++) {
    let ev: Record<string, unknown>;
    if (positives.length && r.next() * 100 < opts.plantedPct) {
      ev = structuredClone(r.pick(r.pick(positives)).value);
      planted++;
    } else {
      const pool = pools.length ? pickPool() : null;
      if (pool?.events) {
        ev = structuredClone(r.pick(pool.events).value);
        for (const k of Object.keys(ENTITY_FIELDS)) if (typeof ev[k] === 'string') ev[k] = ENTITY_FIELDS[k]!(r);
      } else {
        const l = pool?.ls ?? {
          ls: { product: 'tocsin', service: 'app' },
          fields: new Map<string, Set<string | number>>(),
        };
        ev = { logsource: { ...l.ls } };
        for (const [field, seen] of l.fields)
          if (!field.includes('.') && !field.startsWith('@')) ev[field] = fillValue(r, field, seen);
        for (const k of Object.keys(ENTITY_FIELDS)) ev[k] ??= ENTITY_FIELDS[k]!(r);
      }
    }
    delete ev.id;
    retime(ev, start + Math.floor(i / 10));
    lines.push(JSON.stringify(ev));
    const group = info.groupOf(eventLogsource(ev));
    const split = group ? info.groups.get(group)!.split : '*';
    keys.push(
      split === '*' ? `h:${i}` : split === null ? `g:${group}` : `h:${group}\u0000${JSON.stringify(ev[split] ?? null)}`,
    );
  }
  return toEventSet(lines, keys, planted);
}
