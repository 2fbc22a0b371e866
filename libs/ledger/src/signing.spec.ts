import { createHash } from 'node:crypto';
import { KeyRing } from './keys';
import { appendMessage, canonicalJson, canonicalText, eventText, fieldsText, storedEventText } from './signing';

const fields = {
  eventId: '0190e3f0-0000-7000-8000-000000000001', streamId: 'task:T-1', type: 'TaskCompleted', schemaVersion: 2,
  occurredAt: '2022-11-20T00:00:00.000000Z', idempotencyKey: 'k-1' as string | null,
};
const data = { z: 'Hoàn thành', a: [1, { y: null, b: 'Đắk Môl' }], 10: true, 2: 'index keys first' };
const metadata = { actor: { unitId: 'phong-noi-vu', role: 'department', keyId: 'k' }, correlationId: 'c' };

describe('what an append signs', () => {
  it('writes an event\'s text from the canonical texts of its data and metadata as canonicalText writes the whole event', () => {
    for (const idempotencyKey of ['k-1', null, 'quote " and \\ and ư']) {
      const whole = { ...fields, idempotencyKey, data, metadata };
      expect(eventText({ ...whole, data: canonicalText(data), metadata: canonicalText(metadata) }, fields.streamId, idempotencyKey)).toBe(fieldsText(whole));
      expect(JSON.parse(fieldsText(whole))).toEqual([fields.eventId, fields.streamId, fields.type, 2, data, metadata, fields.occurredAt, idempotencyKey]);
      // As a verifier reads it back: the database renders jsonb in an order (and spacing) of its own.
      expect(storedEventText({ ...whole, data: '{"a": [1, {"b": "Đắk Môl", "y": null}], "z": "Hoàn thành", "2": "index keys first", "10": true}',
        metadata: JSON.stringify(metadata, null, 1) })).toBe(fieldsText(whole));
    }
    expect(canonicalText(data)).toBe(canonicalJson(data));
    // Not the insertion order's text: that is another message.
    expect(eventText({ ...fields, data: JSON.stringify(data), metadata: canonicalText(metadata) }, fields.streamId, fields.idempotencyKey)).not.toBe(fieldsText({ ...fields, data, metadata }));
    expect(appendMessage(['[1]', '[2]'])).toEqual(Buffer.concat([Buffer.from('reform-ledger/events/2\n'), createHash('sha256').update('[[1],[2]]').digest()]));
    expect(appendMessage(['["Đắk Môl"]'])).toEqual(Buffer.concat([Buffer.from('reform-ledger/events/2\n'), createHash('sha256').update('[["Đắk Môl"]]').digest()]));
  });

  it('signs the events of a group once, in order: a removed, moved or borrowed event does not verify', () => {
    const keys = KeyRing.ephemeral();
    const texts = Array.from({ length: 5 }, (_, i) => fieldsText({ ...fields, eventId: `0190e3f0-0000-7000-8000-${String(i).padStart(12, '0')}`, data, metadata }));
    const signature = keys.sign(appendMessage(texts));
    const verifies = (t: string[]) => keys.verify(keys.keyId, appendMessage(t), signature);
    expect(verifies(texts)).toBe(true);
    expect(verifies(texts.slice(0, 4))).toBe(false);
    expect(verifies([texts[1], texts[0], ...texts.slice(2)])).toBe(false);
    expect(verifies([...texts, fieldsText({ ...fields, data, metadata })])).toBe(false);
  });
});
