import type { z } from 'zod';
import type { DeadLetter } from '../../db/dead-letter-store.js';
import type { Participation } from '../../db/participation-store.js';
import type { ParticipationJson, UserParticipationJson, UserParticipationRefusedJson } from './responses.js';

export function participationView(p: Participation): z.input<typeof ParticipationJson> {
  return {
    requestId: p.requestId,
    campaignId: p.campaignId,
    userId: p.userId,
    status: p.status,
    source: p.source,
    // With one partition the offset alone orders every request; partition is there for the experiment.
    sequence: p.offset,
    partition: p.partition,
    acceptedAt: p.acceptedAt.toISOString(),
    decidedAt: p.decidedAt.toISOString(),
  };
}

/** A user's standing in a campaign: the win if there is one, else the first decision. */
export function userResultView(decisions: readonly Participation[]): z.input<typeof UserParticipationJson> {
  const first = decisions[0];
  if (first === undefined) throw new Error('userResultView needs at least one decision');
  const win = decisions.find((d) => d.status === 'SUCCESS');
  return { ...participationView(win ?? first), attempts: decisions.length };
}

/** An accepted request that was refused instead of decided: the user is told why, never left PENDING. */
export function refusalView(campaignId: number, userId: number, refusals: readonly DeadLetter[]): z.input<typeof UserParticipationRefusedJson> {
  const first = refusals[0];
  if (first === undefined) throw new Error('refusalView needs at least one refusal');
  return {
    requestId: first.subject?.requestId ?? null,
    campaignId,
    userId,
    status: 'REFUSED',
    reasonCode: first.reasonCode,
    reason: first.reason,
    sequence: first.offset,
    partition: first.partition,
    refusedAt: first.createdAt.toISOString(),
    attempts: refusals.length,
  };
}
