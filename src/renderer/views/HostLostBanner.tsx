/**
 * Said at the top of every view while the page has lost its host: what happened, what to do, and
 * that the page recovers by itself (the client reconnects every second; the banner goes away and the
 * tiles come back to life when the host answers again).
 */
import type { LinkState } from '../contract/client';

/** Props of {@link HostLostBanner}. */
export interface HostLostBannerProps {
  readonly link: LinkState;
  /** Whether the page had reached the host before (a first connect is "connecting", not "lost"). */
  readonly wasConnected: boolean;
  readonly mode: string | null;
}

/** The banner, or nothing while connected. */
export function HostLostBanner({ link, wasConnected, mode }: HostLostBannerProps): React.JSX.Element | null {
  if (link === 'open' || (link === 'connecting' && !wasConnected)) return null;
  const restart = mode === 'headless' ? 'npm run headless' : 'npm run web';
  return (
    <div className="host-lost" role="alert" data-testid="host-lost">
      <strong>Lost the connection to the Sensor Relay host.</strong> Nothing on this page is live: readings are not being
      shown{mode === 'electron' ? '' : ' here'}, and recording and forwarding depend on the host. If you stopped it, start it again (
      <code>{restart}</code>); this page reconnects by itself as soon as the host answers.
    </div>
  );
}
