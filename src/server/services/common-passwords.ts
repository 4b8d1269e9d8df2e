// The passwords people pick most often, refused when a password is set (ASVS 6.2.4): the top
// 10,000 of a published breach-frequency ranking (common-passwords-data.ts) plus a few picked by
// hand for shops and the languages of this service's users. A breached-password service (such as a
// k-anonymity range API) plugs in through ServiceOptions.passwordScreen; see checkPasswordScreen.
import { TOP_PASSWORDS } from './common-passwords-data';


const COMMON_PASSWORDS: readonly string[] = [
  // digits and keyboard walks
  '123456', '123456789', '12345678', '12345', '1234567', '1234567890', '1234', '123123', '111111',
  '000000', '654321', '666666', '121212', '112233', '123321', '987654321', '11111111', '00000000',
  '88888888', '12341234', '11223344', '123123123', '1q2w3e4r', '1q2w3e4r5t', '1qaz2wsx', 'zaq12wsx',
  'qwerty', 'qwerty123', 'qwertyuiop', 'qwerty12', 'qwerty1234', 'qwertyui', 'asdfghjkl', 'asdfgh',
  'asdf1234', 'zxcvbnm', 'zxcvbnm123', 'qazwsx', 'qazwsxedc', '1q2w3e', 'q1w2e3r4', 'q1w2e3r4t5',
  'abc123', 'abcd1234', 'abcdefg', 'abcdefgh', 'abc12345', 'a1b2c3d4', '147258369', '741852963',
  '159753', '1234qwer', 'qwer1234', '123qwe', '123qweasd', '123abc', 'aa123456', 'a123456',
  'a12345678', '12345a', '123456a', '12345678a', 'password1234', '87654321', '99999999', '12121212',
  '55555555', '7777777', '77777777', '123654789', '1111111111', '0987654321', '123456789a',
  // the word "password" and friends
  'password', 'password1', 'password12', 'password123', 'passw0rd', 'p@ssw0rd', 'p@ssword',
  'pa$$word', 'passwort', 'motdepasse', 'contraseña', 'contrasena', 'senha123', 'wachtwoord',
  'password!', 'password01', 'mypassword', 'newpassword', 'changeme', 'changeme123', 'letmein',
  'letmein123', 'welcome', 'welcome1', 'welcome123', 'welcome2024', 'welcome2025', 'secret',
  'secret123', 'default', 'admin', 'admin123', 'admin1234', 'administrator', 'root', 'toor',
  'guest', 'guest123', 'test', 'test1234', 'test12345', 'testing', 'testing123', 'login',
  'login123', 'master', 'masterkey', 'access', 'access14', 'trustno1', 'iloveyou', 'iloveyou1',
  'iloveyou2', 'loveyou', 'lovely', 'love1234', 'nopassword', 'temp1234', 'temppass', 'user1234',
  // names, words and phrases that top the rankings
  'sunshine', 'princess', 'football', 'baseball', 'basketball', 'soccer', 'hockey', 'dragon',
  'monkey', 'shadow', 'superman', 'batman', 'spiderman', 'starwars', 'pokemon', 'naruto',
  'michael', 'jennifer', 'jessica', 'charlie', 'jordan', 'jordan23', 'thomas', 'robert', 'daniel',
  'matthew', 'andrew', 'joshua', 'ashley', 'michelle', 'nicole', 'anthony', 'william', 'hunter',
  'hunter2', 'buster', 'ginger', 'pepper', 'cookie', 'chocolate', 'summer', 'winter', 'freedom',
  'whatever', 'computer', 'internet', 'samsung', 'google', 'facebook', 'linkedin', 'mustang',
  'harley', 'ferrari', 'corvette', 'mercedes', 'liverpool', 'chelsea', 'arsenal', 'barcelona',
  'blink182', 'metallica', 'qwerty123456', 'zaq1zaq1', 'flower', 'butterfly', 'angel', 'angels',
  'babygirl', 'princess1', 'sunshine1', 'football1', 'baseball1', 'superman1', 'monkey123',
  'dragon123', 'shadow123', 'michael1', 'charlie1', 'jesus', 'jesus123', 'blessed', 'godisgood',
  'family', 'friends', 'forever', 'peanut', 'banana', 'cheese', 'pokemon1', 'minecraft',
  'fortnite', 'playstation', 'xbox360', 'nintendo', 'killer', 'matrix', 'hello', 'hello123',
  'hellohello', 'helloworld', 'qwerty1', 'asdfasdf', 'aaaaaaaa', 'abcabc123', 'india123',
  'iloveindia', 'india@123', 'pakistan', 'bangladesh', 'shopping', 'shopper1', 'storefront',
];

const SET: ReadonlySet<string> = new Set([...TOP_PASSWORDS.split('\n'), ...COMMON_PASSWORDS.map((p) => p.toLowerCase())]);

/**
 * True when the password is on the list. Compared case-insensitively and ignoring surrounding
 * spaces, because "Password123" and " password123 " are guessed just as early as the lowercase
 * form; the password itself is never altered for storage.
 */
export function isCommonPassword(password: string): boolean {
  return SET.has(password.trim().toLowerCase());
}

export const COMMON_PASSWORD_COUNT = SET.size;

/**
 * A check against breached passwords, supplied by the host: resolves true when the password is
 * known to be breached. It sees the plain password, so it should only send a hash prefix out
 * (k-anonymity), never the password or its full hash.
 */
export type PasswordScreen = (password: string) => Promise<boolean>;
