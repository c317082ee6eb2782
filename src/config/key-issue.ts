/**
 * Marks an issue as being about a record's key rather than its value, so the loader echoes the
 * key back: a structured flag, not a message to parse. Its own module so every sub-schema file
 * can use it without importing the whole schema.
 */
export const KEY_ISSUE = { about: "key" } as const;
