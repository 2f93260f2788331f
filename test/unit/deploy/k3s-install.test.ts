/**
 * Issue 13, the real-cluster test: what of `npm run test:k3s` runs without Docker. The script says it
 * did not run (and exits 0) when testcontainers finds no engine, and the overlay it installs renders:
 * deploy/ with the locally built image (never pulled) and the operator pointed at the host's emulator.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getContainerRuntimeClient } from 'testcontainers';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { OPERATOR_IMAGE, operatorOverlay } from '../../k3s/k3s-cluster.js';

const root = join(import.meta.dirname, '..', '..', '..');
const run = promisify(execFile);
const engine = await getContainerRuntimeClient().then(
  () => true,
  () => false,
);

describe('npm run test:k3s', () => {
  it.skipIf(engine)('without a container engine says it did not run, and exits 0', async () => {
    const { stdout } = await run('sh', [join(root, 'scripts', 'test-k3s.sh')], { cwd: root });
    expect(stdout.trim()).toBe('no Docker engine: the k3s end-to-end test did not run');
  });

  it('installs deploy/ with the image it built, never pulled, pointed at the host’s emulator', async () => {
    const { stdout } = await run('kubectl', ['kustomize', operatorOverlay('172.17.0.3:40123')]);
    const docs = parseAllDocuments(stdout).map((d) => d.toJS());
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const [container] = deployment.spec.template.spec.containers;
    expect(container.image).toBe(OPERATOR_IMAGE);
    expect(container.imagePullPolicy).toBe('Never');
    expect(container.args).toEqual(
      expect.arrayContaining([
        '--leader-elect',
        '--ram-endpoint=172.17.0.3:40123',
        '--sts-endpoint=172.17.0.3:40123',
        '--alicloud-protocol=http',
      ]),
    );
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.serviceAccountName).toBe('ram-delegation-operator');
    expect(docs.map((d) => d.kind)).toEqual(expect.arrayContaining(['ClusterRole', 'PodDisruptionBudget']));
  });
});
