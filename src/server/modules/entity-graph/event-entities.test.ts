/** One event's entities and links: a Windows logon, a Sysmon process with hashes, a DNS answer, a URL in a message. */
import { describe, expect, it } from 'vitest';
import { addEvent } from './event-entities.js';
import { GraphBuilder } from './graph-builder.js';

const edges = (g: GraphBuilder) => [...g.edges.keys()].sort();

describe('entities of an event', () => {
  it('reads a Windows logon: the user logged in from the address onto the host', () => {
    const g = new GraphBuilder();
    const ids = addEvent(g, {
      time: 1,
      fields: {
        EventID: 4624,
        TargetUserName: 'svc-backup',
        IpAddress: '::ffff:10.1.2.3',
        Computer: 'DC01.corp.example.',
      },
    });
    expect(ids.sort()).toEqual(['host:dc01.corp.example', 'ip:10.1.2.3', 'user:svc-backup']);
    expect(edges(g)).toEqual([
      'user:svc-backup|logged_in_from|ip:10.1.2.3',
      'user:svc-backup|on_host|host:dc01.corp.example',
    ]);
  });

  it('files a process by its hash on the host, and links the rest of the event to its first account', () => {
    const g = new GraphBuilder();
    addEvent(g, {
      time: 1,
      fields: {
        Image: 'C:\\Windows\\Temp\\x.exe',
        Hashes:
          'SHA256=9F86D081884C7D659A2FEAADE0C5A52E8A0BE6C9B3B9B7B2C1C1E5E1C4C5D6E7,MD5=0CC175B9C0F1B6A831C399E269772661',
        User: 'CORP\\alice',
        Computer: 'ws-07',
        CommandLine: 'x.exe --mail ops@evil.example',
      },
    });
    const nodes = [...g.nodes.keys()].sort();
    expect(nodes).toEqual([
      'email:ops@evil.example',
      'file:0cc175b9c0f1b6a831c399e269772661',
      'file:9f86d081884c7d659a2feaade0c5a52e8a0be6c9b3b9b7b2c1c1e5e1c4c5d6e7',
      'host:ws-07',
      'user:CORP\\alice',
    ]);
    expect(edges(g)).toContain('file:0cc175b9c0f1b6a831c399e269772661|on_host|host:ws-07');
    expect(edges(g)).toContain('user:CORP\\alice|same_event|email:ops@evil.example');
    expect(g.view('file:0cc175b9c0f1b6a831c399e269772661').label).toBe('0cc175b9c0f1…');
  });

  it('resolves a queried domain to the destination address, and puts a URL in its domain', () => {
    const g = new GraphBuilder();
    addEvent(g, {
      time: 1,
      fields: { 'dns.question.name': 'c2.evil.example', dst_ip: '198.51.100.9', src_ip: '10.0.0.5' },
    });
    addEvent(g, { time: 2, fields: { user: 'A1', message: 'fetched https://c2.evil.example/stage2' } });
    expect(edges(g)).toContain('domain:c2.evil.example|resolved_to|ip:198.51.100.9');
    expect(edges(g)).toContain('url:https://c2.evil.example/stage2|in_domain|domain:c2.evil.example');
  });

  it('counts a link once per event and keeps the first and last time', () => {
    const g = new GraphBuilder();
    for (const t of [3, 1, 2])
      addEvent(g, { time: t, alertId: `a${t}`, fields: { user: 'A1', src_ip: '203.0.113.1:5555', action: 'login' } });
    expect(g.edgeView('account:A1|logged_in_from|ip:203.0.113.1')).toMatchObject({
      count: 3,
      firstSeen: new Date(1).toISOString(),
      lastSeen: new Date(3).toISOString(),
    });
    expect(g.view('ip:203.0.113.1').alertCount).toBe(3);
  });
});
