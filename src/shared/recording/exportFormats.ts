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

/** What each export is for (the buttons' tooltips). */
export const EXPORT_FORMAT_HINTS: { readonly [K in ExportFormatId]: string } = {
  'csv-long': 'One row per sample, every value exactly as recorded, plus an events file.',
  'csv-wide': 'One row per second for each participant.',
  fit: 'A FIT activity for each participant, for training platforms.',
  xdf: "One Lab Streaming Layer file for pyxdf, MNE, EEGLAB or SigViewer, on LSL's clock.",
  manifest: 'What the session is and contains, with the export counts.',
};
