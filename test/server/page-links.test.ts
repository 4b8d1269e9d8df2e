// The links the service sends point at the store page that asked, each kind under its own query
// parameter, so the widget there tells a reset link from a contact verification link.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LINK_PARAM, pageLink } from '../../src/server/services/page-links';

const svc = { allowedOrigins: new Set(['https://shop.example']) };
const caller = (referer?: string) => ({ ownOrigin: 'https://users.example', referer });

describe('page links', () => {
  test('each kind of link has its own parameter on the trusted page that asked', () => {
    const page = 'https://shop.example/account?tab=contacts';
    assert.equal(pageLink(svc, caller(page), LINK_PARAM.reset, 'r1'), 'https://shop.example/account?tab=contacts&code=r1');
    assert.equal(pageLink(svc, caller(page), LINK_PARAM.verifyEmail, 'e1'), 'https://shop.example/account?tab=contacts&verify_email=e1');
    assert.equal(pageLink(svc, caller(page), LINK_PARAM.verifyMobile, 'm1'), 'https://shop.example/account?tab=contacts&verify_mobile=m1');
  });

  test('a page opened by another link passes on only the new token', () => {
    const link = pageLink(svc, caller('https://shop.example/?code=old-reset&verify_mobile=old-phone#top'), LINK_PARAM.verifyEmail, 'new');
    assert.equal(link, 'https://shop.example/?verify_email=new');
  });

  test('a page the service does not trust never receives a token: the service root does', () => {
    assert.equal(pageLink(svc, caller('https://attacker.example/?x=1'), LINK_PARAM.verifyEmail, 'e2'), 'https://users.example/?verify_email=e2');
    assert.equal(pageLink(svc, caller('not a url'), LINK_PARAM.reset, 'r2'), 'https://users.example/?code=r2');
    assert.equal(pageLink(svc, caller(undefined), LINK_PARAM.reset, 'r3'), 'https://users.example/?code=r3');
  });
});
