/**
 * Schema validation of rendered objects with kubernetes-models: the model class of the
 * object's apiVersion and kind is instantiated and validated (the Kubernetes OpenAPI schema
 * compiled to code). A kind without a known model is an error, not a pass.
 */
import * as admissionregistrationV1 from 'kubernetes-models/admissionregistration.k8s.io/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as schedulingV1 from 'kubernetes-models/scheduling.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import type { K8sObject } from './k8s.js';

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): { validate(): void };
}

const isModelClass = (value: unknown): value is ModelClass =>
  typeof value === 'function' &&
  typeof (value as unknown as { apiVersion?: unknown }).apiVersion === 'string' &&
  typeof (value as unknown as { kind?: unknown }).kind === 'string';

const groups: readonly Record<string, unknown>[] = [
  coreV1,
  appsV1,
  batchV1,
  networkingV1,
  policyV1,
  rbacV1,
  autoscalingV2,
  schedulingV1,
  admissionregistrationV1,
];

/** apiVersion + kind → model class, for every top-level kind of the groups above. */
export const models: ReadonlyMap<string, ModelClass> = new Map(
  groups.flatMap((group) =>
    Object.values(group)
      .filter(isModelClass)
      .map((model) => [`${model.apiVersion} ${model.kind}`, model] as const),
  ),
);

/**
 * kustomize folds long base64 values of generated Secrets over several lines; the API server's
 * base64 decoding ignores line breaks, the schema's "byte" format does not. Validate what the
 * server sees.
 */
const asTheServerReadsIt = (object: K8sObject): K8sObject => {
  const data = object.data;
  if (object.kind !== 'Secret' || typeof data !== 'object' || data === null) return object;
  const unfolded = Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, typeof value === 'string' ? value.replace(/[\r\n]/g, '') : value]),
  );
  return { ...object, data: unfolded };
};

/** The object's schema violations ([] when valid). */
export const schemaProblems = (object: K8sObject): string[] => {
  const model = models.get(`${object.apiVersion} ${object.kind}`);
  if (model === undefined)
    return [`no Kubernetes schema known for apiVersion ${object.apiVersion}, kind ${object.kind}`];
  try {
    new model(asTheServerReadsIt(object)).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
};
