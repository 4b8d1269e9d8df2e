// Robot checks ("captcha") for the endpoints a script attacks first: password login and sending a
// first code. They apply only when the stored platform config says `skip_captcha: false`.
// Where the check comes from:
// - `ServiceOptions.captchaVerifier`, the hook where a deployment verifies reCAPTCHA, hCaptcha or
//   Turnstile tokens with the provider's server-side API;
// - otherwise, in dev mode, the dev captcha below: a plain-text sum from GET /__dev/captcha, usable
//   by keyboard and screen reader, answered with the token `dev:<id>:<answer>`;
// - otherwise nothing can pass, and those endpoints answer 503 CAPTCHA_UNAVAILABLE rather than
//   silently letting every request through.
import { randomBytes, randomInt } from 'node:crypto';
import type { ServiceInternals } from '../context';
import type { Caller } from '../shared/caller';
import { ApiError } from '../shared/errors';

/** Resolves true when the token passed the provider's check. `ip` is the socket peer address. */
export type CaptchaVerifier = (token: string, ip: string) => Promise<boolean>;

export const DEV_CAPTCHA_TTL_MS = 5 * 60 * 1000;
/** Bounds memory when a script asks for challenges without ever answering them. */
const DEV_CAPTCHA_MAX_OPEN = 1000;
/** Real provider tokens are a few kilobytes at most; anything longer is not worth a network call. */
const MAX_TOKEN_LENGTH = 4096;

export class DevCaptcha {
  readonly #now: () => number;
  readonly #open = new Map<string, { answer: number; expiresAt: number }>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** `terms` are the two numbers, so a page can ask the question in its shopper's language. */
  create(): { id: string; question: string; terms: [number, number] } {
    const t = this.#now();
    for (const [id, challenge] of this.#open) if (challenge.expiresAt <= t) this.#open.delete(id);
    // Maps iterate in insertion order, so the first key is the oldest challenge.
    if (this.#open.size >= DEV_CAPTCHA_MAX_OPEN) this.#open.delete(this.#open.keys().next().value!);
    const a = randomInt(1, 10);
    const b = randomInt(1, 10);
    const id = randomBytes(12).toString('base64url');
    this.#open.set(id, { answer: a + b, expiresAt: t + DEV_CAPTCHA_TTL_MS });
    return { id, question: `What is ${a} plus ${b}?`, terms: [a, b] };
  }

  /** `dev:<id>:<answer>`. A challenge is spent by any attempt, right or wrong, so it cannot be guessed. */
  verify(token: string): boolean {
    const match = /^dev:([A-Za-z0-9_-]{16}):\s*(\d{1,3})\s*$/.exec(token);
    if (!match) return false;
    const challenge = this.#open.get(match[1]!);
    if (!challenge) return false;
    this.#open.delete(match[1]!);
    return challenge.expiresAt > this.#now() && Number(match[2]) === challenge.answer;
  }
}

export interface CaptchaService {
  verifier: CaptchaVerifier | undefined;
  /** Present in dev mode; the default check when no verifier is configured. */
  dev: DevCaptcha | undefined;
}

/** The part of the service the robot check needs. */
export type CaptchaContext = Pick<ServiceInternals, 'config' | 'captcha' | 'log'>;

export async function captchaRequired(svc: Pick<CaptchaContext, 'config'>): Promise<boolean> {
  return (await svc.config.get())['skip_captcha'] === false;
}

/** Throws unless the body's `captcha_code` passes, when the store requires one. */
export async function checkCaptcha(svc: CaptchaContext, caller: Pick<Caller, 'ip' | 'requestId'>, body: Record<string, unknown>): Promise<void> {
  if (!(await captchaRequired(svc))) return;
  const { verifier, dev } = svc.captcha;
  if (!verifier && !dev) {
    throw new ApiError(503, 'CAPTCHA_UNAVAILABLE', 'The check that you are not a robot is not available. Try again later.');
  }
  const token = body['captcha_code'];
  if (typeof token !== 'string' || token.trim() === '') {
    throw new ApiError(400, 'CAPTCHA_REQUIRED', 'Complete the check that you are not a robot.');
  }
  let passed = false;
  if (token.length <= MAX_TOKEN_LENGTH) {
    if (verifier) {
      try {
        passed = await verifier(token, caller.ip);
      } catch (err) {
        svc.log(`captcha verifier failed request_id=${caller.requestId}: ${(err as Error).message}`);
        throw new ApiError(503, 'CAPTCHA_UNAVAILABLE', 'The check that you are not a robot is not available. Try again later.');
      }
    } else {
      passed = dev!.verify(token);
    }
  }
  if (!passed) {
    svc.log(`captcha refused ip=${caller.ip} request_id=${caller.requestId}`);
    throw new ApiError(400, 'CAPTCHA_INVALID', 'The check did not pass. Try a new one.');
  }
}
