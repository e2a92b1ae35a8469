/** The broker view (settings, uplink state). */
export { BrokerPanel, BrokerPanelView, type BrokerPanelViewProps } from './BrokerPanel';
