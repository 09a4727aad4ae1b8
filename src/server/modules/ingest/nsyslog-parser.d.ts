/** Types for nsyslog-parser (ships none): the fields Tocsin reads. */
declare module 'nsyslog-parser' {
  interface ParsedSyslog {
    err?: unknown;
    type?: 'RFC5424' | 'BSD' | 'UNKNOWN' | 'CEF' | 'LEEF';
    pri?: string;
    prival?: number;
    facility?: string;
    level?: string;
    ts?: Date;
    host?: string;
    chain?: string[];
    appName?: string;
    pid?: string;
    messageid?: string;
    message?: string;
  }
  function parse(
    line: string,
    opts?: { cef?: boolean; leef?: boolean; fields?: boolean; pid?: boolean; generateTimestamp?: boolean },
  ): ParsedSyslog;
  export = parse;
}
