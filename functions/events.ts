// Placeholder: the real handler lands with the core wiring.
export const handler = async (): Promise<{ statusCode: number; body: string }> => ({ statusCode: 501, body: 'not yet' })
