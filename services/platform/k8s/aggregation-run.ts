/**
 * The AggregationRun custom resource (fcfs.dev/v1alpha1): one aggregation of one day, asked for
 * by the HTTP API or by `kubectl create`, carried out by the operator as a Job. Shared by the API,
 * which creates these objects, and the operator, which acts on them.
 */

export const AGGREGATION_RUN_GROUP = 'fcfs.dev';
export const AGGREGATION_RUN_VERSION = 'v1alpha1';
export const AGGREGATION_RUN_PLURAL = 'aggregationruns';
export const AGGREGATION_RUN_KIND = 'AggregationRun';

export type AggregationRunPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';
export type AggregationResultStatus = 'COMPLETED' | 'PARTIAL' | 'FAILED';

export interface AggregationRunSpec {
  /** YYYY-MM-DD in the statistics time zone. */
  readonly date: string;
  /** Set when the HTTP API claimed the day before creating the object. */
  readonly executionId?: number;
}

export interface AggregationRunResult {
  readonly status: AggregationResultStatus;
  readonly error?: string;
  readonly campaigns: { readonly total: number; readonly completed: number; readonly failed: number };
}

export interface AggregationRunStatus {
  readonly phase?: AggregationRunPhase;
  readonly executionId?: number;
  readonly jobName?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly message?: string;
  readonly result?: AggregationRunResult;
}

export interface AggregationRunObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly deletionTimestamp?: Date;
    readonly ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[];
  };
  readonly spec: AggregationRunSpec;
  readonly status?: AggregationRunStatus;
}

/** The object the HTTP API creates for a day it has claimed as `executionId`. */
export function aggregationRunBody(name: string, spec: AggregationRunSpec): AggregationRunObject {
  return { apiVersion: `${AGGREGATION_RUN_GROUP}/${AGGREGATION_RUN_VERSION}`, kind: AGGREGATION_RUN_KIND, metadata: { name }, spec };
}
