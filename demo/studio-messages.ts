/**
 * A few sign-in messages in German: how a store adds a language latch does not ship (the ten it
 * ships, Arabic and Hindi among them, download on their own when the studio picks them). What the
 * store leaves out shows in English.
 */
import { registerMessages } from '../src/index.js';

registerMessages('de', {
  'auth.signIn': 'Anmelden',
  'auth.signOut': 'Abmelden',
  'auth.useCode': 'Mit Einmalcode anmelden',
  'auth.guest': 'Als Gast fortfahren',
  'auth.or': 'oder',
  'auth.social': 'Weiter mit {provider}',
  'auth.forgot': 'Passwort vergessen?',
  'auth.createAccount': 'Konto erstellen',
  'field.email': 'E-Mail',
  'field.password': 'Passwort',
  'field.showPassword': 'Passwort anzeigen',
});
