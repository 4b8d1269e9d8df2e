/**
 * Wire types of the user service as zod/mini schemas (snake_case, as on the wire).
 * Objects are loose: a newer service may add fields and the widget must keep working.
 * Known fields are type-checked so a malformed config or response is caught at the edge,
 * not deep inside a render.
 */
import * as z from 'zod/mini';

// Services in the wild send `null` for unset fields as often as they omit them; the client drops
// nulls while parsing JSON, so every optional field is plain `optional`.
const opt = <T extends z.ZodMiniType>(schema: T) => z.optional(schema);

// `level` stays a plain string: an unknown level must not take sign-in down; the view model reads it.
const requiredField = z.looseObject({
  is_required: opt(z.boolean()),
  level: opt(z.string()),
});

const socialToken = z.looseObject({ app_id: opt(z.string()), redirect_uri: opt(z.string()) });

export const platformConfigSchema = z.looseObject({
  _id: opt(z.string()),
  active: opt(z.boolean()),
  name: opt(z.string()),
  display: opt(z.string()),
  subtext: opt(z.string()),
  desktop_image: opt(z.string()),
  mobile_image: opt(z.string()),
  register: opt(z.boolean()),
  forgot_password: opt(z.boolean()),
  skip_captcha: opt(z.boolean()),
  skip_login: opt(z.boolean()),
  login: opt(z.looseObject({ password: opt(z.boolean()), otp: opt(z.boolean()) })),
  social: opt(
    z.looseObject({
      google: opt(z.boolean()),
      facebook: opt(z.boolean()),
      apple: opt(z.boolean()),
      account_kit: opt(z.boolean()),
    }),
  ),
  // Platform side says `account_kit`, application responses say `accountkit`: accept both.
  social_tokens: opt(
    z.looseObject({
      google: opt(socialToken),
      facebook: opt(socialToken),
      apple: opt(socialToken),
      account_kit: opt(socialToken),
      accountkit: opt(socialToken),
    }),
  ),
  flash_card: opt(
    z.looseObject({ text: opt(z.string()), text_color: opt(z.string()), background_color: opt(z.string()) }),
  ),
  look_and_feel: opt(z.looseObject({ background_color: opt(z.string()), card_position: opt(z.string()) })),
  required_fields: opt(z.looseObject({ email: opt(requiredField), mobile: opt(requiredField) })),
  register_required_fields: opt(z.looseObject({ email: opt(requiredField), mobile: opt(requiredField) })),
  // session_config and delete_account_* are left to the features that read them: a field this
  // widget does not use must never be the reason sign-in shows an error.
});
export type PlatformConfig = z.infer<typeof platformConfigSchema>;

const email = z.looseObject({
  email: z.string(),
  primary: opt(z.boolean()),
  verified: opt(z.boolean()),
  active: opt(z.boolean()),
});
const phone = z.looseObject({
  phone: z.string(),
  country_code: opt(z.unknown()),
  primary: opt(z.boolean()),
  verified: opt(z.boolean()),
  active: opt(z.boolean()),
});

/**
 * A list whose every item matches `item`. Written with `z.custom` rather than `z.array`: zod/mini's
 * array type would add 0.4 kB to every latch download, for a few lists of contacts and such.
 */
export const listOf = <T extends z.ZodMiniType>(item: T) =>
  z.custom<Array<z.infer<T>>>((value) => Array.isArray(value) && value.every((entry) => item.safeParse(entry).success));

export const userSchema = z.looseObject({
  _id: z.string(),
  user_id: opt(z.string()),
  first_name: opt(z.string()),
  last_name: opt(z.string()),
  gender: opt(z.string()),
  dob: opt(z.string()),
  active: opt(z.boolean()),
  profile_pic_url: opt(z.string()),
  username: opt(z.string()),
  emails: opt(listOf(email)),
  phone_numbers: opt(listOf(phone)),
});
export type User = z.infer<typeof userSchema>;

export const loginSuccessSchema = z.looseObject({
  user: userSchema,
  request_id: opt(z.string()),
  register_token: opt(z.string()),
});
export type LoginSuccess = z.infer<typeof loginSuccessSchema>;

export const sessionSchema = z.looseObject({ user: userSchema });

/** Endpoints whose answer carries nothing the widget needs beyond success. */
export const okSchema = z.looseObject({});

export const logoutSchema = z.looseObject({ logout: opt(z.boolean()) });

/** The error body every endpoint answers with on failure; all optional because proxies answer too. */
export const errorBodySchema = z.looseObject({
  message: opt(z.string()),
  code: opt(z.unknown()),
  request_id: opt(z.string()),
  error: opt(z.unknown()),
  meta: opt(z.looseObject({ is_deleted: opt(z.boolean()), delete_on: opt(z.unknown()) })),
  authenticated: opt(z.boolean()),
  is_deleted: opt(z.boolean()),
});
