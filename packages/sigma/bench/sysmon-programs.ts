/** Ordinary programs on a securities firm's Windows desktops and servers: what Sysmon process creation mostly sees. */
import type { Rng } from './event-set.js';

export interface Program {
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

/** The programs, weighted by how often they start. */
export const PROGRAMS: Program[] = [
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
export const TOTAL_WEIGHT = PROGRAMS.reduce((a, p) => a + p.weight, 0);
