import type { WarmupSpec, WarmupState } from './warmup-plan.js';

/** The Campaign custom resource as the controller reads and writes it (fcfs.dev/v1alpha1). */

export const CAMPAIGN_GROUP = 'fcfs.dev';
export const CAMPAIGN_VERSION = 'v1alpha1';
export const CAMPAIGN_PLURAL = 'campaigns';
export const CAMPAIGN_KIND = 'Campaign';
/** Holds deletion until the database campaign is ended. */
export const CAMPAIGN_FINALIZER = 'fcfs.dev/end-campaign';
/** On objects the controller made for campaigns created through the HTTP API. */
export const CAMPAIGN_ID_LABEL = 'fcfs.dev/campaign-id';

export type Phase = 'Scheduled' | 'Open' | 'SoldOut' | 'Ended';

/** Set on the API's HPA while warmups raise its floor: the campaigns that do, comma-separated. */
export const WARMED_BY_ANNOTATION = 'fcfs.dev/warmed-by';

export interface CampaignSpec {
  readonly displayName: string;
  readonly totalStock: number;
  readonly startsAt?: string;
  readonly endsAt?: string;
  readonly warmup?: WarmupSpec;
}

export interface WarmupStatus {
  readonly state: WarmupState;
  readonly warmFrom: string;
  readonly apiMinReplicas?: number;
  readonly message?: string;
}

export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly observedGeneration?: number;
  readonly lastTransitionTime: string;
  readonly reason: string;
  readonly message: string;
}

export interface CampaignStatus {
  readonly phase?: Phase;
  readonly campaignId?: number;
  readonly remainingStock?: number;
  readonly winners?: number;
  readonly soldOutCount?: number;
  readonly duplicateCount?: number;
  readonly pending?: number;
  readonly observedGeneration?: number;
  readonly warmup?: WarmupStatus;
  readonly conditions?: readonly Condition[];
}

export interface CampaignObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly generation?: number;
    readonly resourceVersion?: string;
    /** Only its presence is read (custom objects carry it as a string). */
    readonly deletionTimestamp?: Date;
    readonly finalizers?: string[];
    readonly labels?: Record<string, string>;
  };
  readonly spec: CampaignSpec;
  readonly status?: CampaignStatus;
}
