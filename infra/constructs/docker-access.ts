import { Aws, CfnOutput } from 'aws-cdk-lib'
import { Construct } from 'constructs'

export interface DockerAccessProps {
  /** `https://<host>/<stage>/` */
  readonly apiUrl: string
  /** `<api-id>.execute-api.<region>.<suffix>` */
  readonly host: string
  readonly stageName: string
  readonly adminSecretName: string
  /** Folder under $HOME/.fargated holding this deployment's docker config. */
  readonly profileName: string
}

/**
 * Stack outputs that point a stock docker CLI at the API: the URL, the admin key's secret
 * NAME (never its value), and the exact commands. The docker CLI takes no https:// host; it
 * speaks TLS to tcp://<host>:443 when DOCKER_TLS_VERIFY=1, which needs a ca.pem in
 * DOCKER_CERT_PATH (the system CA bundle, as API Gateway has a public certificate). The key
 * goes in config.json as an HttpHeaders Authorization header.
 */
export class DockerAccess extends Construct {
  public readonly dockerHost: string
  public readonly fetchKeyCommand: string
  public readonly setupCommand: string

  constructor(scope: Construct, id: string, props: DockerAccessProps) {
    super(scope, id)
    const dir = `"$HOME/.fargated/${props.profileName}"`
    this.dockerHost = `tcp://${props.host}:443/${props.stageName}`
    this.fetchKeyCommand = `aws secretsmanager get-secret-value --region ${Aws.REGION} --secret-id ${props.adminSecretName} --query SecretString --output text`
    this.setupCommand = [
      `mkdir -p ${dir}`,
      `cp /etc/ssl/certs/ca-certificates.crt ${dir}/ca.pem`,
      `(umask 077; printf '{"HttpHeaders":{"Authorization":"Bearer %s"}}' "$(${this.fetchKeyCommand})" > ${dir}/config.json)`,
      `export DOCKER_CONFIG=${dir} DOCKER_CERT_PATH=${dir} DOCKER_TLS_VERIFY=1 DOCKER_HOST=${this.dockerHost}`,
    ].join(' && ')

    new CfnOutput(scope, 'ApiUrl', { value: props.apiUrl, description: 'fargated API base URL (native API under /v1)' })
    new CfnOutput(scope, 'DockerHost', { value: this.dockerHost, description: 'DOCKER_HOST for the docker CLI (with DOCKER_TLS_VERIFY=1)' })
    new CfnOutput(scope, 'AdminKeySecretName', { value: props.adminSecretName, description: 'Secrets Manager secret holding the bootstrap admin API key' })
    new CfnOutput(scope, 'FetchAdminKeyCommand', { value: this.fetchKeyCommand, description: 'Prints the admin API key' })
    new CfnOutput(scope, 'DockerSetupCommand', {
      value: this.setupCommand,
      description: 'Run in a shell to point the docker CLI at fargated (CA bundle path as on Debian/Ubuntu; see docs/deploy.md for others)',
    })
  }
}
