import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const script = path.resolve(import.meta.dirname, '../../../scripts/local-cluster/control-plane.sh');

/** etcd and kube-apiserver of a test's own (no node), from scripts/local-cluster/control-plane.sh. */
export interface ControlPlane {
  readonly kubeconfig: string;
  /** kubectl against this control plane; rejects with stderr on a non-zero exit. */
  kubectl(args: readonly string[], input?: string): Promise<string>;
  /** The same, resolving with the exit status and output instead of rejecting. */
  kubectlResult(args: readonly string[], input?: string): Promise<{ status: number; stdout: string; stderr: string }>;
  restartApiServer(): Promise<void>;
  down(): Promise<void>;
}

export async function startControlPlane(dir: string): Promise<ControlPlane> {
  await exec(script, ['up', dir], { maxBuffer: 16 << 20 });
  const env = Object.fromEntries(
    (await exec(script, ['env', dir])).stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string>;
  const kubeconfig = env.KUBECONFIG ?? '';
  const kubectlBin = path.join(env.CLUSTER_BIN ?? '', 'kubectl');
  const kubectlResult = (args: readonly string[], input?: string) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(kubectlBin, ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? 1 : 0;
        resolve({ status: code, stdout, stderr });
      });
      child.stdin?.end(input ?? '');
    });
  return {
    kubeconfig,
    kubectlResult,
    async kubectl(args, input) {
      const r = await kubectlResult(args, input);
      if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
      return r.stdout;
    },
    restartApiServer: async () => {
      await exec(script, ['restart-apiserver', dir]);
    },
    down: async () => {
      await exec(script, ['down', dir]);
    },
  };
}
