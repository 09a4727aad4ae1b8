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
