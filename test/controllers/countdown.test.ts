/**
 * CountdownController: one ticker per element, running only while a wait is on, on a clock the
 * test moves (no real seconds).
 */
import { expect } from '@open-wc/testing';
import { TestHost as Host } from '../support/controller-host.js';
import { CountdownController } from '../../src/controllers/countdown.js';
import { ManualClock } from '../support/clock.js';

describe('CountdownController', () => {
  it('counts whole seconds down to a deadline and says when it is reached', () => {
    const clock = new ManualClock();
    const host = new Host();
    const countdown = new CountdownController(host, clock);
    expect(host.controllers).to.deep.equal([countdown]);
    let ended = 0;
    const at = clock.now() + 2500;
    countdown.until('retry', at, () => ended++);
    expect(countdown.secondsUntil(at)).to.equal(3);
    clock.advance(1000);
    expect(countdown.secondsUntil(at)).to.equal(2);
    clock.advance(2000);
    expect(countdown.secondsUntil(at)).to.equal(0);
    expect(ended, 'done runs once').to.equal(1);
    expect(clock.running, 'the ticker stopped').to.equal(0);
    expect(host.updates).to.be.greaterThan(2);
  });

  it('runs one ticker for every wait, until the last one ends', () => {
    const clock = new ManualClock();
    const countdown = new CountdownController(new Host(), clock);
    countdown.until('retry', clock.now() + 1000);
    countdown.until('resend', clock.now() + 3000);
    expect(clock.running).to.equal(1);
    clock.advance(1000);
    expect(countdown.has('retry')).to.equal(false);
    expect(countdown.has('resend')).to.equal(true);
    expect(clock.running).to.equal(1);
    clock.advance(2000);
    expect(clock.running).to.equal(0);
  });

  it('stops while the host is off the page and goes on where it was when it is back', () => {
    const clock = new ManualClock();
    const countdown = new CountdownController(new Host(), clock);
    const at = clock.now() + 5000;
    countdown.until('resend', at);
    countdown.hostDisconnected();
    expect(clock.running).to.equal(0);
    clock.time += 2000;
    countdown.hostConnected();
    clock.advance(1000);
    expect(countdown.secondsUntil(at)).to.equal(2);
  });

  it('drops a cancelled wait without running its end', () => {
    const clock = new ManualClock();
    const countdown = new CountdownController(new Host(), clock);
    let ended = false;
    countdown.until('resend', clock.now() + 1000, () => (ended = true));
    countdown.cancel('resend');
    clock.advance(2000);
    expect(ended).to.equal(false);
    expect(clock.running).to.equal(0);
  });
});
