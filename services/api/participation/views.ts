import type { z } from 'zod';
import type { Participation } from '../../db/participation-store.js';
import type { ParticipationJson, UserParticipationJson } from './responses.js';

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
