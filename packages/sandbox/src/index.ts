/**
 * The sandbox: the two local stand-ins (`@ram-delegation/alicloud-emulator`,
 * `@ram-delegation/kube-apiserver`) put together with the operator, plus what B's users do with a
 * delegation. Development only: the operator's package never imports it.
 */
export {
  SANDBOX_NAMESPACE,
  startSandboxEnvironment,
  type SandboxEnvironment,
  type SandboxInfo,
} from './environment.js';
export {
  SANDBOX_ACCOUNTS,
  SANDBOX_EVENT_BUS,
  startSandboxCloud,
  type SandboxAccount,
  type SandboxCloud,
} from './sandbox-cloud.js';
export { spawnOperator, type OperatorProcess, type OperatorProcessOptions } from './operator-process.js';
export { operatorPaths } from './operator-paths.js';
export { runDemo, type DemoReport, type DemoStep } from './demo.js';
export {
  assumeRole,
  endpointOf,
  errorCode,
  isRefusal,
  publishEvent,
  type AccessKey,
  type CloudEndpoint,
  type PublishTarget,
  type StsCredentials,
} from './data-plane.js';
export { accountState, managedEntities, OWNERSHIP_TAG_KEY } from './leftovers.js';
