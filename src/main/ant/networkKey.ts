/**
 * The ANT+ network key (docs/ant-plus.md §2). It is licensed to ANT+ adopters and already embedded in
 * ant-plus-next, openant and GoldenCheetah; keep it out of logs and the UI.
 */
import { encodeFrame } from '../../shared/ant/frame';
import { MSG } from '../../shared/ant/messages';

const KEY = [0xb9, 0xa5, 0x21, 0xfb, 0xbd, 0x72, 0xc3, 0x45];

/** Set Network Key `46 [net, key×8]` for network 0. */
export function networkKeyFrame(): Uint8Array {
  return encodeFrame(MSG.networkKey, [0, ...KEY]);
}
