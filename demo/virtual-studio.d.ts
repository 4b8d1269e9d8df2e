/** The studio's module, served by the dev server only (vite.config.ts): null when the service is not in dev mode. */
declare module 'virtual:latch-studio' {
  const studio: { adminBase: string; adminToken: string } | null;
  export default studio;
}
