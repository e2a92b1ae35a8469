/** Export formats of a recorded session, shared by the contract, the CLI and the UI. */

/** Every export format: long CSV (+ events CSV), wide 1 Hz CSV per participant, FIT per participant, XDF (LSL) for the whole session, manifest JSON. */
export const EXPORT_FORMAT_IDS = ['csv-long', 'csv-wide', 'fit', 'xdf', 'manifest'] as const;
/** One export format. */
export type ExportFormatId = (typeof EXPORT_FORMAT_IDS)[number];

/** Labels of the export buttons. */
export const EXPORT_FORMAT_LABELS: { readonly [K in ExportFormatId]: string } = {
  'csv-long': 'CSV (long)',
  'csv-wide': 'CSV (wide, 1 Hz)',
  fit: 'FIT',
  xdf: 'XDF (LSL)',
  manifest: 'Manifest (JSON)',
};
