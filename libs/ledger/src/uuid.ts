import { randomFillSync } from 'node:crypto';

/** Random bytes for 256 ids at a time, as crypto.randomUUID keeps them: one call to the generator costs some 10 µs here. */
const entropy = Buffer.alloc(16 * 256);
let taken = entropy.length;

/** RFC 9562 UUID version 7: 48-bit Unix milliseconds, then random bits; sorts by creation time. */
export const uuidv7 = (now: number = Date.now()): string => {
  if (taken === entropy.length) {
    randomFillSync(entropy);
    taken = 0;
  }
  const bytes = Buffer.from(entropy.subarray(taken, (taken += 16)));
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export const isUuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
