// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the types of sodium-native, for every project that compiles this file
/// <reference path="./sodium-native.d.ts" />
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import sodium from 'sodium-native';

/**
 * The ledger's signing key (Ed25519) and every public key it has had. The private key
 * lives in a file outside the database (default `keys/ledger-signing-key.pem` beside the data
 * directory, or the path in LEDGER_SIGNING_KEY), mode 600; the public keys in `<file>.public.json`
 * beside it, each with its key id (the first 16 bytes of the SHA-256 of the raw key, hex) and the
 * endorsements a rotation gives it: the old key signs the new one and the new one the old, so an
 * inspector who trusts either trusts both.
 */
export type PublicKeyRecord = {
  keyId: string;
  /** The raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  createdAt: string;
  endorsements: { by: string; signature: string }[];
};

export class SigningKeyError extends Error {
  constructor(readonly code: 'signing_key.missing' | 'signing_key.permissions' | 'signing_key.unreadable', message: string) {
    super(message);
  }
}

const rawPublicKey = (key: KeyObject) => Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
export const keyIdOf = (raw: Buffer) => createHash('sha256').update(raw).digest('hex').slice(0, 32);

/*
 * Signatures are made and checked by libsodium (sodium-native): standard Ed25519, which any other
 * implementation verifies, at half the cost of node:crypto's here (one signature 30 µs instead of 66,
 * one verification 89 µs instead of 150; docs/benchmarks.md). node:crypto keeps the key files (PEM).
 */
/** libsodium's 64-byte secret key (seed and public key) of a private key, in memory libsodium guards. */
const secretKeyOf = (privateKey: KeyObject): Buffer => {
  const secret = sodium.sodium_malloc(sodium.crypto_sign_SECRETKEYBYTES);
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  sodium.crypto_sign_seed_keypair(Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES), secret, seed);
  seed.fill(0);
  return secret;
};
const signWith = (secret: Buffer, message: Buffer): Buffer => {
  const signature = Buffer.alloc(sodium.crypto_sign_BYTES);
  sodium.crypto_sign_detached(signature, message, secret);
  return signature;
};

/** What an endorsement signs: the endorsed key, by id and bytes. */
const endorsementMessage = (r: Pick<PublicKeyRecord, 'keyId' | 'publicKey'>) => Buffer.from(`reform-ledger/key/1\n${r.keyId}\n${r.publicKey}`, 'utf8');

/** Verifies signatures against a set of public keys (what the offline verifier has: no private key). */
export class PublicKeys {
  /** The raw public keys, by key id. */
  private readonly objects = new Map<string, Buffer>();

  constructor(readonly records: PublicKeyRecord[]) {
    for (const r of records) {
      const raw = Buffer.from(r.publicKey, 'base64');
      // A record whose id is not its key's is ignored.
      if (raw.length === sodium.crypto_sign_PUBLICKEYBYTES && keyIdOf(raw) === r.keyId) this.objects.set(r.keyId, raw);
    }
  }

  has(keyId: string) {
    return this.objects.has(keyId);
  }

  verify(keyId: string, message: Buffer, signature: Buffer): boolean {
    const key = this.objects.get(keyId);
    return key !== undefined && signature.length === sodium.crypto_sign_BYTES && sodium.crypto_sign_verify_detached(signature, message, key);
  }

  /**
   * The keys trusted when `anchors` are: those reachable from an anchor through valid endorsements.
   * (A key the database's owner adds to an export has no endorsement by a trusted key.)
   */
  trustedFrom(anchors: string[]): PublicKeys {
    const trusted = new Set(anchors.filter((a) => this.objects.has(a)));
    for (let grew = true; grew;) {
      grew = false;
      for (const r of this.records) {
        if (trusted.has(r.keyId) || !this.objects.has(r.keyId)) continue;
        if (r.endorsements.some((e) => trusted.has(e.by) && this.verify(e.by, endorsementMessage(r), Buffer.from(e.signature, 'base64')))) {
          trusted.add(r.keyId);
          grew = true;
        }
      }
    }
    return new PublicKeys(this.records.filter((r) => trusted.has(r.keyId)));
  }
}

export type KeyRingOptions = {
  /** The private key file. Default: env LEDGER_SIGNING_KEY, else `keys/ledger-signing-key.pem` beside the data directory. */
  path?: string;
  /** Create the key when the file is missing. Refused (SigningKeyError) when false. */
  create: boolean;
};

/** The default key file: `keys/` beside the ledger's data directory (`./data` → `./keys`). */
export const defaultKeyPath = () =>
  resolve(process.env.LEDGER_SIGNING_KEY ?? resolve(dirname(resolve(process.env.LEDGER_DATA_DIR ?? 'data')), 'keys', 'ledger-signing-key.pem'));

const publicFile = (path: string) => `${path}.public.json`;

const writeSecret = (path: string, pem: string) => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(`${path}.tmp`, pem, { mode: 0o600 });
  chmodSync(`${path}.tmp`, 0o600);
  renameSync(`${path}.tmp`, path);
};

const newRecord = (privateKey: KeyObject): PublicKeyRecord => {
  const raw = rawPublicKey(createPublicKey(privateKey));
  return { keyId: keyIdOf(raw), publicKey: raw.toString('base64'), createdAt: new Date().toISOString(), endorsements: [] };
};

/** The signing key in use and the public keys of every key the ledger has had. */
export class KeyRing extends PublicKeys {
  private readonly secret: Buffer;

  private constructor(privateKey: KeyObject, readonly keyId: string, records: PublicKeyRecord[], readonly path?: string) {
    super(records);
    this.secret = secretKeyOf(privateKey);
  }

  /**
   * Loads the key file; creates it (mode 600) when missing and `create` is set. Refuses a key file that
   * others can read or write, and a missing one unless asked to create it.
   */
  static open(options: KeyRingOptions): KeyRing {
    const path = resolve(options.path ?? defaultKeyPath());
    if (!existsSync(path)) {
      if (!options.create) {
        throw new SigningKeyError('signing_key.missing', `The ledger's signing key ${path} is missing, but the ledger already holds events. `
          + 'Restore the key file from its backup (or set LEDGER_SIGNING_KEY to where it is); to start a new key on purpose, set LEDGER_NEW_SIGNING_KEY=true '
          + '(heads and events signed from then on will be under a key no earlier key endorses).');
      }
      const { privateKey } = generateKeyPairSync('ed25519');
      writeSecret(path, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
      const existing = existsSync(publicFile(path)) ? readRecords(path) : [];
      writeFileSync(publicFile(path), JSON.stringify([...existing, newRecord(privateKey)], null, 2), { mode: 0o644 });
    }
    const mode = statSync(path).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new SigningKeyError('signing_key.permissions', `The ledger's signing key ${path} has mode ${mode.toString(8)}: others can read it. Run chmod 600 ${path}.`);
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(readFileSync(path));
    } catch (error) {
      throw new SigningKeyError('signing_key.unreadable', `The ledger's signing key ${path} is not an Ed25519 private key (${(error as Error).message}).`);
    }
    const own = newRecord(privateKey);
    const records = existsSync(publicFile(path)) ? readRecords(path) : [];
    if (!records.some((r) => r.keyId === own.keyId)) records.push(own);
    return new KeyRing(privateKey, own.keyId, records, path);
  }

  /** A key held in memory only (tests, benchmarks). */
  static ephemeral(): KeyRing {
    const { privateKey } = generateKeyPairSync('ed25519');
    const own = newRecord(privateKey);
    return new KeyRing(privateKey, own.keyId, [own]);
  }

  /**
   * Replaces the key file with a new key. The old key endorses the new one and the new one the old,
   * in the public key file; the old private key is gone (back up the new file). Returns the new key id.
   */
  static rotate(path = defaultKeyPath()): { oldKeyId: string; newKeyId: string } {
    const old = KeyRing.open({ path, create: false });
    const { privateKey } = generateKeyPairSync('ed25519');
    const fresh = newRecord(privateKey);
    const endorse = (by: Buffer, byId: string, r: PublicKeyRecord) => ({ by: byId, signature: signWith(by, endorsementMessage(r)).toString('base64') });
    fresh.endorsements.push(endorse(old.secret, old.keyId, fresh));
    const records = old.records.map((r) => (r.keyId === old.keyId ? { ...r, endorsements: [...r.endorsements, endorse(secretKeyOf(privateKey), fresh.keyId, r)] } : r));
    writeFileSync(publicFile(old.path!), JSON.stringify([...records, fresh], null, 2), { mode: 0o644 });
    writeSecret(old.path!, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    return { oldKeyId: old.keyId, newKeyId: fresh.keyId };
  }

  sign(message: Buffer): Buffer {
    return signWith(this.secret, message);
  }
}

const readRecords = (path: string): PublicKeyRecord[] => JSON.parse(readFileSync(publicFile(path), 'utf8')) as PublicKeyRecord[];
