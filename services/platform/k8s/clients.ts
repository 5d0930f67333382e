import { ApiException, AutoscalingV2Api, BatchV1Api, CoordinationV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';

/**
 * The one place that builds Kubernetes API clients. The credentials come from KUBECONFIG when
 * set, else from the pod's service account (in a cluster), as kubectl finds them.
 */
export interface KubeClients {
  readonly config: KubeConfig;
  readonly custom: CustomObjectsApi;
  readonly coordination: CoordinationV1Api;
  readonly batch: BatchV1Api;
  readonly autoscaling: AutoscalingV2Api;
  readonly watch: Watch;
}

export function createKubeClients(kubeconfigPath?: string): KubeClients {
  const config = new KubeConfig();
  if (kubeconfigPath !== undefined) config.loadFromFile(kubeconfigPath);
  else config.loadFromDefault();
  return {
    config,
    custom: config.makeApiClient(CustomObjectsApi),
    coordination: config.makeApiClient(CoordinationV1Api),
    batch: config.makeApiClient(BatchV1Api),
    autoscaling: config.makeApiClient(AutoscalingV2Api),
    watch: new Watch(config),
  };
}

/** Request options that send a body as a JSON merge patch. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** The HTTP status of a failed API call, or undefined for anything that is not an API answer. */
export function apiStatus(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}
