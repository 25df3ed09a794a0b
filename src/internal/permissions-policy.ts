/** Chromium's `document.featurePolicy`, renamed `permissionsPolicy` in the spec; absent elsewhere. */
interface PolicyLike {
  allowsFeature(feature: string): boolean;
}

export type MediaFeature = 'camera' | 'microphone';

/**
 * The media features this document's permissions policy forbids, e.g. `['camera', 'microphone']`
 * inside an `<iframe>` that lacks `allow="camera; microphone"`. Empty when everything is allowed
 * or when the browser cannot say (then getUserMedia's own error is all we get).
 */
export function blockedMediaFeatures(doc: Document = document): MediaFeature[] {
  const { permissionsPolicy, featurePolicy } = doc as Document & {
    permissionsPolicy?: PolicyLike;
    featurePolicy?: PolicyLike;
  };
  const policy = permissionsPolicy ?? featurePolicy;
  if (!policy) return [];
  return (['camera', 'microphone'] as const).filter((feature) => !policy.allowsFeature(feature));
}
