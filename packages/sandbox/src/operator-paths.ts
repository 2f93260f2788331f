/**
 * Where the sandbox finds the operator it puts together with the stand-ins: the repository this package
 * lives in (`packages/sandbox/` inside it). The sandbox installs what a user installs: the render of
 * `deploy/` (the CRD, the operator's ServiceAccount and RBAC) and the operator's own CLI, run from source
 * through tsx or from `dist/` once built.
 */
import { fileURLToPath } from 'node:url';

const fromSource = import.meta.url.endsWith('.ts');
const root = new URL('../../../', import.meta.url);

export const operatorPaths = {
  /** The repository root. */
  root: fileURLToPath(root),
  /** The kustomize directory `kubectl apply -k deploy/` installs. */
  deploy: fileURLToPath(new URL('deploy', root)),
  /** `ram-delegation` itself, and the node arguments that run it. */
  cli: fileURLToPath(new URL(fromSource ? 'src/cli.ts' : 'dist/cli.js', root)),
  nodeArguments: fromSource ? ['--import', 'tsx'] : [],
  /** The seed scenario's manifest. */
  example: fileURLToPath(new URL('examples/eventbridge-publisher.yaml', root)),
};
