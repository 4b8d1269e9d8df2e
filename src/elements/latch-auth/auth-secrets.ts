/**
 * The secrets a `<latch-auth>` holds between steps: the token that finishes a registration and the
 * password-reset code (from a link or a verified code). Kept here, off the element, so that neither
 * a page script nor a tool that lists an element's properties can read them; the element and its
 * on-demand steps (flows.ts) are the only code that imports this.
 */
export interface AuthSecrets {
  registerToken: string;
  resetCode?: { kind: 'link' | 'token'; code: string };
}

const held = new WeakMap<object, AuthSecrets>();

/** The secrets of one element, made empty the first time. */
export function secretsOf(auth: object): AuthSecrets {
  let secrets = held.get(auth);
  if (!secrets) held.set(auth, (secrets = { registerToken: '' }));
  return secrets;
}
