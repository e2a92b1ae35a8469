/**
 * Broker settings and uplink state: target (embedded broker or a URL), token source (with the
 * API-key warning), default user, connection state with the last close reason, outbox depth, lag
 * and drops per athlete, the metrics that are never forwarded, and a "test connection" button.
 */
import { useEffect, useState } from 'react';
import type { BrokerState } from '../../../shared/contract/broker';
import { client } from '../../app';
import { userMessage } from '../../userMessage';
import { BrokerPanelView, type TestResult } from './BrokerPanelView';

/** The container: loads the state, follows `brokerState`, sends changes. */
export function BrokerPanel(): React.JSX.Element {
  const [state, setState] = useState<BrokerState | null>(null);
  const [message, setMessage] = useState<{ isError: boolean; text: string } | null>(null);
  const [test, setTest] = useState<TestResult>(null);
  useEffect(() => {
    void client.call('broker.state', {}).then((r) => r.ok && setState(r.value));
    return client.on('brokerState', setState);
  }, []);
  if (!state) return <section className="panel">Loading broker state…</section>;
  return (
    <BrokerPanelView
      state={state}
      message={message}
      test={test}
      onSave={async (args) => {
        const r = await client.call('broker.configure', args);
        if (r.ok) setState(r.value);
        setMessage(r.ok ? { isError: false, text: 'Saved; uplinks restarted.' } : { isError: true, text: userMessage(r, 'save the broker settings') });
      }}
      onTest={async () => {
        setTest({ isOk: false, message: 'testing…' });
        const r = await client.call('broker.testConnection', {});
        setTest(r.ok ? { isOk: r.value.isOk, message: r.value.message } : { isOk: false, message: userMessage(r, 'test the connection') });
      }}
    />
  );
}

