/**
 * The identifiers callers send and every event records (X-Agent-Id,
 * X-Conversation-Id, request and correlation ids): at most 128 characters
 * that are safe in URLs, headers and logs. One charset, so agent activity,
 * telemetry and the audit trail join on the same ids.
 */
export const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What a refused identifier is told. */
export const SAFE_ID_RULE = 'at most 128 of [A-Za-z0-9._:-]';
