import { KeyRing } from './keys';
import { appendMessage, appendMessageOf, canonicalJson, canonicalText, eventDigest, signAppends, signedMessage } from './signing';

const fields = {
  eventId: '0190e3f0-0000-7000-8000-000000000001', streamId: 'task:T-1', type: 'TaskCompleted', schemaVersion: 2,
  occurredAt: '2022-11-20T00:00:00.000000Z', idempotencyKey: 'k-1' as string | null,
};
const data = { z: 'Hoàn thành', a: [1, { y: null, b: 'Đắk Môl' }], 10: true, 2: 'index keys first' };
const metadata = { actor: { unitId: 'phong-noi-vu', role: 'department', keyId: 'k' }, correlationId: 'c' };

describe('what an append signs', () => {
  it('digests the canonical texts of data and metadata as eventDigest digests the whole event', () => {
    const { streamId, ...event } = fields;
    for (const idempotencyKey of ['k-1', null, 'quote " and \\ and ư']) {
      const texts = { streamId, idempotencyKey, events: [{ ...event, data: canonicalText(data), metadata: canonicalText(metadata) }, { ...event, data: '[]', metadata: '{}' }] };
      expect(appendMessageOf(texts)).toEqual(appendMessage([
        eventDigest({ ...fields, idempotencyKey, data, metadata }), eventDigest({ ...fields, idempotencyKey, data: [], metadata: {} }),
      ]));
    }
    expect(canonicalText(data)).toBe(canonicalJson(data));
    // Not the insertion order's text: that is a different digest.
    expect(appendMessageOf({ streamId, idempotencyKey: 'k-1', events: [{ ...event, data: JSON.stringify(data), metadata: canonicalText(metadata) }] }))
      .not.toEqual(appendMessage([eventDigest({ ...fields, data, metadata })]));
  });

  it('signs appends committed together once, and each stored signature still verifies alone', () => {
    const keys = KeyRing.ephemeral();
    let signed = 0;
    const sign = (m: Buffer) => (signed++, keys.sign(m));
    for (const count of [1, 2, 3, 5, 6, 7, 8, 12, 17, 33]) {
      signed = 0;
      const messages = Array.from({ length: count }, (_, i) => appendMessage([eventDigest({ ...fields, eventId: `0190e3f0-0000-7000-8000-${String(i).padStart(12, '0')}`, data, metadata })]));
      const stored = signAppends(sign, messages);
      expect(signed).toBe(1);
      expect(new Set(stored.map((s) => s.subarray(0, 64).toString('hex'))).size).toBe(1);
      stored.forEach((s, i) => {
        const claim = signedMessage(s, messages[i])!;
        expect(keys.verify(keys.keyId, claim.message, claim.signature)).toBe(true);
        // Another append's message does not verify under this append's stored signature.
        const other = signedMessage(s, messages[(i + 1) % count])!;
        if (count > 1) expect(keys.verify(keys.keyId, other.message, other.signature)).toBe(false);
      });
      if (count === 1) expect(stored[0]).toHaveLength(64);
    }
  });
});
