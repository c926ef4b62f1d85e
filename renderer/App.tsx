import { useEffect, useState } from 'react';
import { Home } from './screens/Home';
import { PreJoin } from './screens/PreJoin';
import { Lobby } from './screens/Lobby';
import { Room } from './screens/Room';
import { Left } from './screens/Left';
import { isJoinHash, readJoinLink } from './features/invite/invite-link';
import { useMeeting } from './state/store';

/** An invite link in the address that cannot be used: the link and what is wrong with it. */
export interface LinkProblem {
  link: string;
  problem: string;
}

/**
 * Picks the screen from the session phase; an invite link in the address goes
 * straight to pre-join, and one that is broken (cut off when copied) to Home,
 * which says what is wrong with it.
 */
export function App() {
  const phase = useMeeting((s) => s.session.phase);
  const setSession = useMeeting((s) => s.setSession);
  const [linkProblem, setLinkProblem] = useState<LinkProblem | null>(null);

  useEffect(() => {
    const fromAddress = () => {
      // A link opened (or pasted into the address bar) before joining replaces the one before.
      const { phase } = useMeeting.getState().session;
      if (!isJoinHash(location.hash) || (phase !== 'home' && phase !== 'prejoin')) return;
      const reading = readJoinLink(location.href);
      if ('target' in reading) {
        setLinkProblem(null);
        setSession({ target: reading.target, phase: 'prejoin', error: null });
      } else {
        setLinkProblem({ link: location.href, problem: reading.problem });
        setSession({ target: null, phase: 'home', error: null });
      }
    };
    fromAddress();
    window.addEventListener('hashchange', fromAddress);
    return () => window.removeEventListener('hashchange', fromAddress);
  }, [setSession]);

  switch (phase) {
    case 'home':
      return <Home key={linkProblem?.link} linkProblem={linkProblem} />;
    case 'prejoin':
    case 'joining':
      return <PreJoin />;
    case 'lobby':
      return <Lobby />;
    case 'in-room':
      return <Room />;
    case 'left':
      return <Left />;
  }
}
