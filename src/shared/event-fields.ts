/**
 * Where events name accounts, hosts, IP addresses and services (Sigma/Windows, ECS dotted or nested, Zeek,
 * flow collectors, common app logs): the server reads an alert's entities from them, the console the key
 * columns of an alert's events table.
 */

export const ACCOUNT_FIELDS = [
  'User',
  'UserName',
  'Username',
  'TargetUserName',
  'SubjectUserName',
  'AccountName',
  'Account',
  'TargetUser',
  'SamAccountName',
  'UserPrincipalName',
  'user',
  'username',
  'user_name',
  'account',
  'account_id',
  'fund_account',
  'client_id',
  'customer_id',
  'user.name',
  'user.target.name',
  'source.user.name',
  'destination.user.name',
  'client.user.name',
];
export const HOST_FIELDS = [
  'Computer',
  'ComputerName',
  'Hostname',
  'HostName',
  'hostname',
  'host',
  'host.name',
  'host.hostname',
  'Workstation',
  'WorkstationName',
  'DeviceName',
  'SourceHostname',
  'DestinationHostname',
  'src_host',
  'dst_host',
];
export const IP_FIELDS = [
  'src_ip',
  'dst_ip',
  'SourceIp',
  'SourceIP',
  'DestinationIp',
  'DestinationIP',
  'SourceAddress',
  'DestAddress',
  'DestinationAddress',
  'ClientIP',
  'ClientIp',
  'client_ip',
  'clientip',
  'IpAddress',
  'ip',
  'src',
  'dst',
  'SrcAddr',
  'DstAddr',
  'remote_addr',
  'RemoteAddress',
  'c-ip',
  's-ip',
  'source.ip',
  'destination.ip',
  'client.ip',
  'server.ip',
  'host.ip',
  'id.orig_h',
  'id.resp_h',
];
/** Where an event may name the firm's business service (a catalog key). */
export const SERVICE_FIELDS = ['tocsin.service', 'service.name', 'business_service', 'service'];

/** Where an event carries a human-readable message or what happened. */
export const MESSAGE_FIELDS = [
  'message',
  'msg',
  'Message',
  'text',
  'content',
  'event.original',
  'description',
  'summary',
];

/** A field by exact name ("user.name" as one key), else by walking nested objects. */
export function fieldValue(fields: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(fields, name)) return fields[name];
  if (!name.includes('.')) return undefined;
  let cur: unknown = fields;
  for (const part of name.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * Reads, for each of several lists of field names, the first name of the list (in its order) that
 * `convert` accepts, as `fieldValue` would find it, in one pass over the event's own keys instead of a
 * lookup of every name of every list (an event has a few keys; the lists name dozens). `convert`
 * returns null for a value it does not take (then the next name of the list is tried).
 */
export function fieldPicker<T>(
  lists: readonly (readonly string[])[],
  convert: (value: unknown) => T | null,
): (fields: Record<string, unknown>) => (T | null)[] {
  /** By an event's top-level key: the names it may answer — itself, or the nested path it starts. */
  const byKey = new Map<string, { list: number; rank: number; name: string; rest: string[] | null }[]>();
  const add = (key: string, entry: { list: number; rank: number; name: string; rest: string[] | null }) => {
    const entries = byKey.get(key);
    if (entries) entries.push(entry);
    else byKey.set(key, [entry]);
  };
  lists.forEach((names, list) => {
    names.forEach((name, rank) => {
      add(name, { list, rank, name, rest: null });
      const dot = name.indexOf('.');
      if (dot > 0) add(name.slice(0, dot), { list, rank, name, rest: name.slice(dot + 1).split('.') });
    });
  });
  return (fields) => {
    const found: (T | null)[] = new Array(lists.length).fill(null);
    const ranks: number[] = new Array(lists.length).fill(Number.POSITIVE_INFINITY);
    for (const key in fields) {
      if (!Object.hasOwn(fields, key)) continue;
      const entries = byKey.get(key);
      if (!entries) continue;
      for (const e of entries) {
        if (e.rank >= ranks[e.list]!) continue;
        let v: unknown = fields[key];
        if (e.rest) {
          // A key named like the whole path ("user.name" as one key) is read as that name, never walked.
          if (Object.hasOwn(fields, e.name)) continue;
          for (const part of e.rest) {
            if (!v || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, part)) {
              v = undefined;
              break;
            }
            v = (v as Record<string, unknown>)[part];
          }
          if (v === undefined) continue;
        }
        const c = convert(v);
        if (c === null) continue;
        found[e.list] = c;
        ranks[e.list] = e.rank;
      }
    }
    return found;
  };
}
