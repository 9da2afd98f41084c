export { deriveKey, loadMasterKey } from './masterKey.ts';
export { constantTimeEqual, hmac, randomId, randomToken, sha256, slowHash, slowVerify } from './secrets.ts';
