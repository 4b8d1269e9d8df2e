/** Rules only `<latch-delete-account>` needs: the list of consequences, the reasons, the text box, the danger button. */
export const deleteAccountStyles = `
  .latch-root .latch-list { margin: 0; padding-inline-start: 1.25rem; }
  .latch-root textarea.latch-field__input { min-block-size: 6rem; resize: vertical; }
  .latch-root .latch-danger { --_primary: var(--latch-color-danger, var(--_error)); }
`;
