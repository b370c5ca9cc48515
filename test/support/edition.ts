/**
 * Which framework the suite runs on: `npm test` runs it once on cdktf and once on CDK Terrain
 * (jest.cdktn.config.js maps every cdktf import to cdktn and sets APIM_MTLS_EDITION).
 */
export type Edition = 'cdktf' | 'cdktn';

export const EDITION: Edition = process.env.APIM_MTLS_EDITION === 'cdktn' ? 'cdktn' : 'cdktf';
