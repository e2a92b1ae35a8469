/** Gym mode's pure parts: roster model, CSV, zones, source selection, class grid and summary. */
export * from './participant';
export * from './zones';
export * from './selectSource';
export * from './csv';
export * from './summary';
export * from './classGrid';
