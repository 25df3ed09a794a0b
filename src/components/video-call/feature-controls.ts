import type { CallButtonAction } from '../../events/call-request.js';

/** The attributes that turn the participant features off. */
export interface FeatureSwitches {
  readonly noRaiseHand: boolean;
  readonly noParticipants: boolean;
  readonly noRecording: boolean;
}

/** Whether this browser can record the call locally. */
export const canRecord = (): boolean => typeof MediaRecorder == 'function';

/**
 * The control bar's buttons for the participant features that are on, in the bar's order. Read
 * from the attributes alone, so that the pre-join view can make them (hidden) before the
 * features' chunk is needed.
 */
export function featureControls({ noRaiseHand, noParticipants, noRecording }: FeatureSwitches): CallButtonAction[] {
  const actions: CallButtonAction[] = [];
  if (!noRaiseHand) actions.push('toggle-hand');
  if (!noParticipants) actions.push('toggle-participants');
  if (!noRecording && canRecord()) actions.push('toggle-recording');
  return actions;
}
