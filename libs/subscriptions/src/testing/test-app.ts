/** Webhook specs boot the standard test platform, which composes the webhook modules. */
export { startTestApp } from '../../../../test/support/test-app';
export type { MintedToken, TestApp, TestAppOptions } from '../../../../test/support/test-app';
