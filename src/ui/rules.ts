/**
 * The one set of rules every latch form checks before sending: the shopper's email, a phone, the
 * current password and a new one. Issue messages are message keys; every rule is a regex check (one check kind keeps
 * zod/mini's share of the bundle small). The service stays the judge; these catch typos early.
 */
import * as z from 'zod/mini';

/** Deliberately loose: something, an @, something, a dot, something. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The shopper's email: required, and shaped like an address. */
export const email = z.string().check(z.regex(/./, 'email.required'), z.regex(EMAIL, 'email.invalid'));

/** A phone as the service takes it: a country calling code and a national number. */
export const phone = {
  country_code: z.string().check(z.regex(/^\+?\d{1,4}$/, 'countryCode.invalid')),
  mobile: z.string().check(z.regex(/^\d{6,15}$/, 'mobile.invalid')),
};

/** The current password: anything, but something (the service judges it). */
export const password = z.string().check(z.regex(/^[^]/, 'password.required'));

/** 8 to 512 characters and nothing else: no composition rules (ASVS 6.2.5); the service refuses common ones. */
export const newPassword = z.string().check(z.regex(/^[^]{8}/, 'password.short'), z.regex(/^[^]{0,512}$/, 'password.long'));
