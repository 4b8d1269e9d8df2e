/**
 * CodeController, one layer alone: the sends it makes (a stand-in send call records them), the one
 * rule for a dead code, the resend countdown on a clock the test moves, and tidying a pasted code.
 */
import { expect } from '@open-wc/testing';
import { TestHost as Host } from '../support/controller-host.js';
import type { Destination, LatchClient, Resend } from '../../src/api/client.js';
import { LatchApiError } from '../../src/api/errors.js';
import { CodeController, isDeadCode, pastedCode, type SendCode } from '../../src/controllers/code.js';
import { CountdownController } from '../../src/controllers/countdown.js';
import { ManualClock } from '../support/clock.js';

const client = {} as LatchClient;
const phone: Destination = { mobile: '9000000001', country_code: '91' };

function setup() {
  const clock = new ManualClock();
  const host = new Host();
  const countdown = new CountdownController(host, clock);
  const code = new CodeController<'login'>(host, countdown);
  const sends: Resend[] = [];
  const sender: SendCode = async (_client, _to, resend = {}) => {
    sends.push(resend);
    return { request_id: `req-${sends.length}`, resend_token: `token-${sends.length}`, resend_timer: 30 };
  };
  return { clock, code, sends, sender };
}

const dead = (code: string) => new LatchApiError('refused', { kind: 'http', status: 400, code });

describe('CodeController', () => {
  it('sends, waits out the resend countdown, then resends the same request', async () => {
    const { clock, code, sends, sender } = setup();
    await code.send(client, 'login', phone, sender, new AbortController().signal, { captcha_code: 'dev:1:2' });
    expect(sends[0]).to.deep.equal({ action: 'send', captcha_code: 'dev:1:2' });
    expect(code.wait).to.equal(30);
    expect(await code.resend(client, new AbortController().signal), 'nothing before its time').to.equal(undefined);
    expect(sends.length).to.equal(1);
    clock.advance(30_000);
    expect(code.wait).to.equal(0);
    const again = await code.resend(client, new AbortController().signal);
    expect(sends[1]).to.deep.equal({ action: 'resend', token: 'token-1' });
    expect(again!.requestId).to.equal('req-2');
  });

  it('has one definition of a dead code, and sends a fresh code (not a resend) for one', async () => {
    expect(isDeadCode(dead('OTP_EXPIRED'))).to.equal(true);
    expect(isDeadCode(dead('OTP_ATTEMPTS_EXCEEDED'))).to.equal(true);
    expect(isDeadCode(dead('OTP_INVALID'))).to.equal(false);
    const { code, sends, sender } = setup();
    await code.send(client, 'login', phone, sender, new AbortController().signal);
    expect(code.failed(dead('OTP_INVALID'))).to.equal(false);
    expect(code.dead).to.equal(false);
    expect(code.failed(dead('OTP_ATTEMPTS_EXCEEDED'))).to.equal(true);
    expect(code.dead).to.equal(true);
    expect(code.wait, 'a dead code can be replaced at once').to.equal(0);
    await code.resend(client, new AbortController().signal);
    expect(sends[1]).to.deep.equal({ action: 'send' });
    expect(code.dead).to.equal(false);
  });

  it('checks the typed code against the request it belongs to', async () => {
    const { code, sender } = setup();
    await code.send(client, 'login', phone, sender, new AbortController().signal);
    const checked = await code.verify(client, async (_c, to, body) => ({ to, body }), '123456', new AbortController().signal);
    expect(checked).to.deep.equal({ to: phone, body: { otp: '123456', request_id: 'req-1' } });
  });

  it('tidies a pasted code with spaces or dashes, and leaves anything else to the browser', () => {
    expect(pastedCode('123 456')).to.equal('123456');
    expect(pastedCode(' 123-456 ')).to.equal('123456');
    expect(pastedCode('123456'), 'a plain code needs no help').to.equal(undefined);
    expect(pastedCode('call me 123')).to.equal(undefined);
  });
});
