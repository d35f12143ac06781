import { ForbiddenError } from './errors.js'
import type { ContainerSpec } from './spec.js'

/** Where a namespace's secrets live, in Secrets Manager and SSM Parameter Store. */
export function secretPrefix(namespace: string): string {
  return `fargated/namespaces/${namespace}/`
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:(.+)$/
const PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/(.+)$/

/**
 * Secret references are injected by the shared task execution role, so a namespace may only
 * name secrets under its own prefix: otherwise any tenant could read any secret the role can.
 */
export function checkSecretRefs(spec: Pick<ContainerSpec, 'secrets'>, namespace: string): void {
  const prefix = secretPrefix(namespace)
  for (const s of spec.secrets) {
    const name = SECRET_ARN.exec(s.valueFrom)?.[1] ?? PARAMETER_ARN.exec(s.valueFrom)?.[1]
    if (!name || !name.startsWith(prefix)) {
      throw new ForbiddenError(
        `secret ${s.name}: valueFrom must be the ARN of a Secrets Manager secret or SSM parameter named ${prefix}… (got ${s.valueFrom})`,
      )
    }
  }
}
