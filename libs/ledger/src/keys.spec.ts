import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing, PublicKeys, SigningKeyError } from './keys';

describe('the signing key file', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rl-keys-'));
    path = join(dir, 'keys', 'ledger-signing-key.pem');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created on first start with mode 600, and the same key is loaded after', () => {
    const first = KeyRing.open({ path, create: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const again = KeyRing.open({ path, create: false });
    expect(again.keyId).toBe(first.keyId);
    const message = Buffer.from('x');
    expect(first.verify(again.keyId, message, again.sign(message))).toBe(true);
  });

  it('refuses to start when the file is missing, unless asked to create one', () => {
    expect(() => KeyRing.open({ path, create: false })).toThrow(expect.objectContaining({ code: 'signing_key.missing' }));
    expect(() => KeyRing.open({ path, create: false })).toThrow(/LEDGER_NEW_SIGNING_KEY=true/);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a key file that others can read', () => {
    KeyRing.open({ path, create: true });
    chmodSync(path, 0o644);
    expect(() => KeyRing.open({ path, create: false })).toThrow(SigningKeyError);
    expect(() => KeyRing.open({ path, create: false })).toThrow(/chmod 600/);
  });

  it('rotates: a new key, endorsed by the old and endorsing it, so trusting either trusts both', () => {
    const old = KeyRing.open({ path, create: true });
    const signedByOld = old.sign(Buffer.from('event'));
    const { oldKeyId, newKeyId } = KeyRing.rotate(path);
    expect(oldKeyId).toBe(old.keyId);
    const fresh = KeyRing.open({ path, create: false });
    expect(fresh.keyId).toBe(newKeyId);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(fresh.verify(oldKeyId, Buffer.from('event'), signedByOld)).toBe(true);
    const all = new PublicKeys(fresh.records);
    expect(all.trustedFrom([oldKeyId]).has(newKeyId)).toBe(true);
    expect(all.trustedFrom([newKeyId]).has(oldKeyId)).toBe(true);
    // A key someone adds to the list, endorsed by nobody trusted, is not trusted.
    const intruder = KeyRing.ephemeral();
    const padded = new PublicKeys([...fresh.records, ...intruder.records]);
    expect(padded.trustedFrom([oldKeyId]).has(intruder.keyId)).toBe(false);
  });
});
