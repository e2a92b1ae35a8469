/**
 * Sample → SUBMIT frame (reference/broker-protocol.md §6.1, §10, §11): one frame per reading,
 * `{"op":6,"d":{"ts":<RFC 3339 UTC ms>,"val":n},"t":<label>}`, label and unit factor from the
 * metric catalogue; `ts` is the reading's capture time, so re-sends keep it.
 */
import { METRIC_IDS, METRICS, type MetricId } from '../../shared/metrics';
import type { Sample } from '../../shared/sample';
import { encodeFrame, formatTs, submit } from '../../shared/terra';

/** The SUBMIT frame text for a sample, or null when its metric has no Terra label (not forwarded). */
export function sampleToSubmit(sample: Sample): string | null {
  const terra = METRICS[sample.metric]?.terra;
  if (!terra || !Number.isFinite(sample.value)) return null;
  const val = terra.factor === 1 ? sample.value : Math.round(sample.value * terra.factor * 1e6) / 1e6;
  return encodeFrame(submit(terra.label, { ts: formatTs(sample.tMs), val }));
}

/** Metrics that are never sent to the broker (no Terra label), with the reason shown in the UI. */
export function unforwardedMetricList(): { metric: MetricId; displayName: string }[] {
  return METRIC_IDS.filter((id) => METRICS[id].terra === null).map((id) => ({ metric: id, displayName: METRICS[id].displayName }));
}
