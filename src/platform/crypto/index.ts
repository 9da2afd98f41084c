export { deriveKey, loadMasterKey } from './masterKey.ts';
export { codeHash, constantTimeEqual, hmac, randomId, randomToken, sha256, slowHash, slowVerify } from './secrets.ts';
