export const openApiDocument = { openapi: '3.1.0', info: { title: 'fcfs-campaign', version: '0.1.0' }, paths: {} } as const;
