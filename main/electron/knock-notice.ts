import type { Knock } from '../../shared/protocol/moderation';

/**
 * The desktop notification for someone knocking at the hosted meeting: who,
 * from what device, whether they have the invite, and where to answer (the
 * room's lobby card, for whoever is admin there).
 */
export function knockNotice(knock: Knock): { title: string; body: string } {
  const how = knock.invited ? 'with the invite link' : 'without an invite';
  return {
    title: `${knock.display_name} wants to join`,
    body: `From ${knock.device}, ${how}. Open Roundtable to let them in or decline.`,
  };
}
