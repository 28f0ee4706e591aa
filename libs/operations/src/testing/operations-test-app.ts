/** Operations specs boot the standard test platform, which composes operations. */
export {
  startTestApp as startOperationsTestApp,
  startTestProcess as startOperationsProcess,
} from '../../../../test/support/test-app';
export type { TestApp, TestAppOptions } from '../../../../test/support/test-app';
