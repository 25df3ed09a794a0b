import type { CallButtonAction } from '../../events/call-request.js';

/** The attributes that turn the participant features off. */
export interface FeatureSwitches {
  readonly noRaiseHand: boolean;
  readonly noParticipants: boolean;
  readonly noRecording: boolean;
}

/** Which participant features are on: switched on by the attributes, and recording where the browser can. */
export function featuresOn({ noRaiseHand, noParticipants, noRecording }: FeatureSwitches) {
  return { hand: !noRaiseHand, participants: !noParticipants, recording: !noRecording && typeof MediaRecorder == 'function' };
}

/**
 * The control bar's buttons for the participant features that are on, in the bar's order. Read
 * from the attributes alone, so that the pre-join view can make them (hidden) before the
 * features' chunk is needed.
 */
export function featureControls(switches: FeatureSwitches): CallButtonAction[] {
  const on = featuresOn(switches);
  const actions: CallButtonAction[] = [];
  if (on.hand) actions.push('toggle-hand');
  if (on.participants) actions.push('toggle-participants');
  if (on.recording) actions.push('toggle-recording');
  return actions;
}
