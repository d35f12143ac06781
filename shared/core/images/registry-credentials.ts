/** Push credentials for `docker login`, limited to one namespace's repositories. */
export interface RegistryCredentials {
  /** What to pass to `docker login` (registry host). */
  serverAddress: string
  username: string
  password: string
  /** ISO time the password stops working. */
  expiresAt: string
  /** Push images as `<repositoryPrefix>/<name>:<tag>`. */
  repositoryPrefix: string
}

export interface RegistryCredentialsProvider {
  /**
   * Issues credentials for the namespace; `repositories` (names inside the namespace, e.g.
   * `app`) are created first when the registry needs repositories to exist before a push.
   */
  issue(namespace: string, options?: { repositories?: string[] }): Promise<RegistryCredentials>
}
