import { useEffect } from 'react';
import { Home } from './screens/Home';
import { PreJoin } from './screens/PreJoin';
import { Room } from './screens/Room';
import { Left } from './screens/Left';
import { parseInvite } from './state/preferences';
import { useMeeting } from './state/store';

/** Picks the screen from the session phase; an invite link in the address goes straight to pre-join. */
export function App() {
  const phase = useMeeting((s) => s.session.phase);
  const setSession = useMeeting((s) => s.setSession);

  useEffect(() => {
    const fromAddress = () => {
      const target = location.hash.startsWith('#/join') ? parseInvite(location.href) : null;
      if (target && useMeeting.getState().session.phase === 'home')
        setSession({ target, phase: 'prejoin' });
    };
    fromAddress();
    window.addEventListener('hashchange', fromAddress);
    return () => window.removeEventListener('hashchange', fromAddress);
  }, [setSession]);

  switch (phase) {
    case 'home':
      return <Home />;
    case 'prejoin':
    case 'joining':
      return <PreJoin />;
    case 'in-room':
      return <Room />;
    case 'left':
      return <Left />;
  }
}
