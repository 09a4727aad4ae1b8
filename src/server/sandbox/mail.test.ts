/** The mail stand-in over real SMTP (node:net speaking the protocol) and HTTP. */
import net from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from './index.js';

let sandbox: RunningSandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ clock: { now: () => Date.parse('2026-12-03T08:00:00Z') } });
});
afterEach(() => sandbox.stop());

/** Sends each line (or DATA block) in turn, waiting for the server's final reply line to each; returns the replies. */
async function smtpSession(url: string, steps: string[]): Promise<string[]> {
  const port = Number(new URL(url).port);
  const socket = net.connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffer = '';
  const waiters: Array<(reply: string) => void> = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // A reply ends with a line "NNN text" (not "NNN-text").
    for (let m = /^(?:\d{3}-.*\r\n)*\d{3} .*\r\n/.exec(buffer); m; m = /^(?:\d{3}-.*\r\n)*\d{3} .*\r\n/.exec(buffer)) {
      buffer = buffer.slice(m[0].length);
      waiters.shift()?.(m[0].trimEnd());
    }
  });
  const next = () => new Promise<string>((resolve) => waiters.push(resolve));
  const replies = [await next()];
  for (const step of steps) {
    const reply = next();
    socket.write(`${step}\r\n`);
    replies.push(await reply);
  }
  socket.destroy();
  return replies;
}

it('keeps a message received over SMTP and lists it over HTTP', async () => {
  const replies = await smtpSession(sandbox.urls.smtp, [
    'EHLO tocsin.test',
    'MAIL FROM:<alerts@tocsin.test>',
    'RCPT TO:<soc@firm.example>',
    'RCPT TO:<ciso@firm.example>',
    'DATA',
    [
      'From: Tocsin <alerts@tocsin.test>',
      'To: soc@firm.example, ciso@firm.example',
      'Subject: =?UTF-8?B?5ZGK6K2m?= INC-7',
      '',
      'Accounts frozen.',
      '..leading dot',
      '.',
    ].join('\r\n'),
    'QUIT',
  ]);
  expect(replies.map((r) => r.slice(0, 3))).toEqual(['220', '250', '250', '250', '250', '354', '250', '221']);

  const listed = await (await fetch(`${sandbox.urls.mail}/messages`)).json();
  expect(listed.messages).toHaveLength(1);
  const m = listed.messages[0];
  expect(m).toMatchObject({
    id: 'msg-1',
    mailFrom: 'alerts@tocsin.test',
    rcptTo: ['soc@firm.example', 'ciso@firm.example'],
    from: 'Tocsin <alerts@tocsin.test>',
    to: 'soc@firm.example, ciso@firm.example',
    subject: '=?UTF-8?B?5ZGK6K2m?= INC-7',
    body: 'Accounts frozen.\r\n.leading dot',
    receivedAt: '2026-12-03T08:00:00.000Z',
  });
  expect((await fetch(`${sandbox.urls.mail}/messages/msg-1`)).status).toBe(200);
  const missing = await fetch(`${sandbox.urls.mail}/messages/msg-9`);
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toBe('application/problem+json');
});

it('refuses commands out of order and keeps nothing then', async () => {
  const replies = await smtpSession(sandbox.urls.smtp, [
    'HELO tocsin.test',
    'RCPT TO:<soc@firm.example>',
    'DATA',
    'MAIL FROM:<a@tocsin.test>',
    'RSET',
    'DATA',
    'XYZZY soc',
    'QUIT',
  ]);
  expect(replies.map((r) => r.slice(0, 3))).toEqual(['220', '250', '503', '503', '250', '250', '503', '500', '221']);
  expect((await (await fetch(`${sandbox.urls.mail}/messages`)).json()).messages).toEqual([]);
});

it('refuses the next messages with a 451, or leaves them unanswered, when failures are injected', async () => {
  const inject = (body: unknown) =>
    fetch(`${sandbox.urls.mail}/_sandbox/smtp-fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await inject({ count: 1, mode: 'error' })).status).toBe(200);
  const message = ['Subject: retry me', '', 'body', '.'].join('\r\n');
  const envelope = ['HELO t', 'MAIL FROM:<a@tocsin.test>', 'RCPT TO:<soc@firm.example>', 'DATA'];
  const refused = await smtpSession(sandbox.urls.smtp, [...envelope, message, ...envelope.slice(1), message, 'QUIT']);
  expect(refused[5]).toBe('451 Injected failure, try again later');
  expect(refused[9]).toBe('250 OK queued as msg-1');

  expect((await inject({ count: 1, mode: 'hang' })).status).toBe(200);
  // No answer to the end of DATA (nor to anything after it on that connection); the message is not kept.
  const socket = net.connect(Number(new URL(sandbox.urls.smtp).port), '127.0.0.1');
  socket.setEncoding('utf8');
  let got = '';
  socket.on('data', (d: string) => (got += d));
  const replies = () => got.match(/^\d{3} /gm)?.length ?? 0;
  await expect.poll(replies).toBe(1); // the greeting (a client talking before it is refused)
  for (const [i, line] of envelope.entries()) {
    socket.write(`${line}\r\n`);
    await expect.poll(replies).toBe(i + 2);
  }
  socket.write(`${message}\r\n`);
  const pending = async () => (await (await fetch(`${sandbox.urls.mail}/_sandbox/smtp-fail`)).json()).count;
  await expect.poll(pending).toBe(0); // the hung message took the injected failure
  expect(got.match(/^\d{3} /gm)).toEqual(['220 ', '250 ', '250 ', '250 ', '354 ']);
  socket.destroy();
  const listed = await (await fetch(`${sandbox.urls.mail}/messages`)).json();
  expect(listed.messages.map((m: { subject: string }) => m.subject)).toEqual(['retry me']);
  expect((await inject({ count: -2 })).status).toBe(400);
});
