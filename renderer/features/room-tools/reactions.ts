import type { Reaction } from '../../../shared/protocol/room-tools';

/** What each reaction is called for people who do not see it ("React with thumbs up"). */
export const REACTION_NAMES: Record<Reaction, string> = {
  '👍': 'thumbs up',
  '👏': 'clapping',
  '😂': 'laughter',
  '❤️': 'a heart',
  '🎉': 'celebration',
  '😮': 'surprise',
};
