/**
 * What functions/api.ts needs from Secrets Manager, for its dynamic import (importing the
 * package dynamically would bundle all of it; see registry-sdk-clients.ts).
 */
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
