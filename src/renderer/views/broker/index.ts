/** The broker view (settings, uplink state). */
export { BrokerPanel } from './BrokerPanel';
export { BrokerPanelView, type BrokerPanelViewProps } from './BrokerPanelView';
