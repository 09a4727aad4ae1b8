/**
 * A journalist's contact as lists show it: enough to tell two apart, not enough to use. The whole
 * contact is shown only for one inquiry to those who manage the media desk, and never logged.
 */
export function maskContact(contact: string): string {
  const at = contact.indexOf('@');
  if (at > 0) return `${contact.slice(0, 1)}***${contact.slice(at)}`;
  const chars = [...contact];
  // A phone number keeps its first 3 and last 4 digits (138****5678), as Chinese forms print them.
  if (chars.length >= 9) return `${chars.slice(0, 3).join('')}****${chars.slice(-4).join('')}`;
  if (chars.length >= 3) return `${chars[0]}***${chars[chars.length - 1]}`;
  return '***';
}
