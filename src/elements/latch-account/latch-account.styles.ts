/** Rules only `<latch-account>` needs: a wider card of sections, lists of contacts and devices, marks. */
export const accountStyles = `
  .latch-root .latch-account { max-inline-size: var(--latch-account-max-inline-size, 40rem); }
  .latch-root .latch-section { display: flex; flex-direction: column; gap: var(--_space); padding-block-start: var(--_space); border-block-start: 1px solid var(--latch-color-card-border, #d5d9de); }
  .latch-root .latch-section p { margin: 0; }
  .latch-root .latch-entries { display: flex; flex-direction: column; gap: 0.5rem; margin: 0; padding: 0; list-style: none; }
  .latch-root .latch-entry { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; padding: 0.75rem; border: 1px solid var(--latch-color-card-border, #d5d9de); border-radius: var(--_radius); }
  .latch-root .latch-entry__name { font-weight: 600; overflow-wrap: anywhere; }
  .latch-root .latch-entry__details { display: flex; flex-wrap: wrap; gap: 0 0.75rem; flex-basis: 100%; color: var(--_muted); font-size: 0.875rem; }
  .latch-root .latch-badge { padding-inline: 0.5rem; border: 1px solid currentColor; border-radius: 1rem; font-size: 0.875rem; }
  .latch-root .latch-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-inline-start: auto; }
  .latch-root .latch-avatar { inline-size: 4rem; block-size: 4rem; border-radius: 50%; object-fit: cover; }
  /* Elements embedded in the account card (sign-in, deletion) lose their own card and backdrop. */
  .latch-root .latch-account .latch-root { padding: 0; background: none; }
  .latch-root .latch-account .latch-card { padding: 0; border: 0; box-shadow: none; }

`;
