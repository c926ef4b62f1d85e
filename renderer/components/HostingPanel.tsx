import { useEffect, useState } from 'react';
import { desktopBridge, type HostingInfo } from '../../shared/desktop/bridge';
import { ControlMenu } from './ControlMenu';

/**
 * For the person hosting from the desktop app: the invite link (never the
 * owner link), its QR code, the fingerprint, and Stop hosting. Closes with
 * Esc and a click outside, like the other menus.
 */
export function HostingPanel() {
  const desktop = desktopBridge();
  const [info, setInfo] = useState<HostingInfo | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    void desktop?.hostingInfo().then(setInfo);
  }, [desktop]);

  if (!desktop || !info) return null;
  return (
    <ControlMenu
      className="hosting-panel"
      icon="hosting"
      label="Hosting"
      title="You are hosting: invite, fingerprint, stop"
    >
      <div className="stack">
        <p className="muted">You are hosting. People on your network open this link:</p>
        <code className="invite-link">{info.inviteUrl}</code>
        <div className="row">
          <button
            type="button"
            onClick={() =>
              void navigator.clipboard.writeText(info.inviteUrl).then(() => setCopied(true))
            }
          >
            {copied ? 'Copied' : 'Copy link'}
          </button>
          <button type="button" onClick={() => void navigator.clipboard.writeText(info.deepLink)}>
            Copy app link
          </button>
        </div>
        <img src={info.qrDataUrl} alt="QR code of the invite link" width={160} height={160} />
        <p className="muted">
          Certificate fingerprint, to compare when a browser warns:
          <br />
          <code className="fingerprint">{info.fingerprint}</code>
        </p>
        <p className="muted">Firewall: allow {info.mediaSockets.join(', ')}.</p>
        <div className="row">
          <button type="button" onClick={() => void desktop.openLogs()}>
            Show logs
          </button>
          <button type="button" className="danger" onClick={() => void desktop.stopHosting()}>
            Stop hosting
          </button>
        </div>
      </div>
    </ControlMenu>
  );
}
