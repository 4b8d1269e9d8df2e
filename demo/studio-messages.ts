/**
 * A few sign-in messages in German and Arabic, so the studio's language and direction controls show
 * something on the demo page. latch ships English; a store registers its own catalogs like this.
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

registerMessages('ar', {
  'auth.signIn': 'تسجيل الدخول',
  'auth.signOut': 'تسجيل الخروج',
  'auth.useCode': 'تسجيل الدخول برمز لمرة واحدة',
  'auth.guest': 'المتابعة كضيف',
  'auth.or': 'أو',
  'auth.social': 'المتابعة باستخدام {provider}',
  'auth.forgot': 'هل نسيت كلمة المرور؟',
  'auth.createAccount': 'إنشاء حساب',
  'field.email': 'البريد الإلكتروني',
  'field.password': 'كلمة المرور',
  'field.showPassword': 'إظهار كلمة المرور',
});
