import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MASTER_KEY_FILE = 'master.key';

export interface MasterKeySource {
  key: Buffer;
  /** Set when the key was generated on this start and written to a new file. */
  createdFile: string | undefined;
}

/**
 * The master key wraps the data-encryption keys and keys the audit chain and
 * blind indexes. It comes from LIAISON_MASTER_KEY or, for a single embedded
 * instance, from DATA_DIR/master.key (created once, mode 0600).
 */
export function loadMasterKey(options: {
  fromEnv: string | undefined;
  dataDir: string;
  allowKeyFile: boolean;
}): MasterKeySource {
  if (options.fromEnv) return { key: Buffer.from(options.fromEnv, 'base64'), createdFile: undefined };
  if (!options.allowKeyFile) {
    throw new Error(
      'LIAISON_MASTER_KEY is required when DATABASE_URL is set: every instance must share one key. ' +
        "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"",
    );
  }
  const file = path.join(options.dataDir, MASTER_KEY_FILE);
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    const key = crypto.randomBytes(32);
    fs.writeSync(fd, `${key.toString('base64')}\n`);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    return { key, createdFile: file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return { key, createdFile: undefined };
}

/** Derives an independent sub-key for one purpose, so no key is used for two jobs. */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), `liaison:${purpose}`, 32));
}
