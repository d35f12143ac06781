// Placeholder until the Docker backend work lands: reports no engine.
export async function ensureTestEngine(): Promise<{ available: boolean; reason: string }> {
  return { available: false, reason: 'engine setup not implemented yet' }
}
