// Names of JetStream assets, as nats-server and its clients accept them.

/** JSMaxNameLen: stream and consumer names are file names on the servers. */
export const NATS_NAME_MAX = 255;
/** What the KV and object store clients accept for a bucket (validBucketRe). */
export const BUCKET_NAME = /^[-\w]+$/;

/** Why nats-server refuses a stream or consumer name (isValidAssetName), or undefined. */
export function natsNameProblem(name: string): string | undefined {
  if (name === "") return "is empty";
  if (name.length > NATS_NAME_MAX) return `has ${name.length} characters, more than ${NATS_NAME_MAX}`;
  if (/\s/.test(name)) return "contains whitespace";
  if (/[\u0000-\u001f\u007f]/.test(name)) return "contains a control character";
  const bad = [...new Set([...name].filter((c) => ".*>/\\".includes(c)))];
  if (bad.length) return `contains ${bad.map((c) => `'${c}'`).join(", ")} (names may not hold '.', '*', '>', '/' or '\\')`;
  return undefined;
}

export function bucketNameProblem(name: string): string | undefined {
  return BUCKET_NAME.test(name) ? undefined : "may hold only letters, digits, '-' and '_'";
}

/** The stream behind a KV bucket or an object store, as the clients name it. */
export const kvStreamName = (bucket: string) => `KV_${bucket}`;
export const objectStreamName = (bucket: string) => `OBJ_${bucket}`;
export const kvSubjects = (bucket: string) => [`$KV.${bucket}.>`];
export const objectSubjects = (bucket: string) => [`$O.${bucket}.C.>`, `$O.${bucket}.M.>`];
