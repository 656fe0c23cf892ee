// Shared by the `sendhub remind` tests (remind.test.mjs, notify.test.mjs):
// running sendhub without blocking the test, and a fake SMTP relay on a
// loopback port (no network) that records every message it is given.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const BIN = process.env.SENDHUB_BIN;

// Runs sendhub without blocking this process, so the relay below can answer.
export function sendhubAsync(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args);
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), 60000);
    p.on('error', reject);
    p.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

// A minimal SMTP server: enough of RFC 5321 for libcurl. `refuse` answers
// 550 to every RCPT. Resolves with { port, messages, close }.
export function fakeRelay({ refuse = false } = {}) {
  const messages = [];
  const server = createServer((sock) => {
    let buf = '', data = false, msg = null;
    const say = (line) => sock.write(`${line}\r\n`);
    say('220 relay.test ESMTP');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (data) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          msg.data = buf.slice(0, end);
          buf = buf.slice(end + 5);
          messages.push(msg);
          data = false;
          say('250 2.0.0 queued');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') { say('250-relay.test'); say('250 8BITMIME'); }
        else if (verb === 'MAIL') { msg = { from: line, to: [] }; say('250 2.1.0 ok'); }
        else if (verb === 'RCPT') {
          if (refuse) say('550 5.1.1 mailbox unavailable');
          else { msg.to.push(line.replace(/^RCPT TO:\s*/i, '')); say('250 2.1.5 ok'); }
        }
        else if (verb === 'DATA') { data = true; say('354 go ahead'); }
        else if (verb === 'QUIT') { say('221 bye'); sock.end(); return; }
        else if (verb === 'RSET' || verb === 'NOOP') say('250 ok');
        else say('502 not implemented');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    port: server.address().port, messages, close: () => new Promise((r) => server.close(r)),
  })));
}
