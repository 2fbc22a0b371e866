import { Actor, VerifiedTokens } from './api-keys';

const actor = (keyId: string): Actor => ({ keyId, role: 'department', unitId: 'phong-noi-vu' });

describe('verified tokens (the key cache)', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000;
  });

  it('trusts a verified token for its time, then looks it up again', () => {
    const tokens = new VerifiedTokens(2000, clock);
    tokens.set('h1', actor('key_a'), tokens.stamp());
    now += 1999;
    expect(tokens.get('h1')).toEqual(actor('key_a'));
    now += 1;
    expect(tokens.get('h1')).toBeUndefined();
  });

  it('forgets every token of a revoked key at once', () => {
    const tokens = new VerifiedTokens(2000, clock);
    tokens.set('h1', actor('key_a'), tokens.stamp());
    tokens.set('h2', actor('key_a'), tokens.stamp());
    tokens.set('h3', actor('key_b'), tokens.stamp());
    tokens.drop('key_a');
    expect([tokens.get('h1'), tokens.get('h2'), tokens.get('h3')]).toEqual([undefined, undefined, actor('key_b')]);
  });

  it('does not keep a token looked up before a revocation that ended after the lookup began', () => {
    const tokens = new VerifiedTokens(2000, clock);
    const stamp = tokens.stamp(); // the lookup starts
    tokens.drop('key_a'); // a revocation here ends
    tokens.set('h1', actor('key_a'), stamp); // the lookup read the row before the revocation
    expect(tokens.get('h1')).toBeUndefined();
  });

  it('keeps nothing with no time to trust', () => {
    const tokens = new VerifiedTokens(0, clock);
    tokens.set('h1', actor('key_a'), tokens.stamp());
    expect(tokens.get('h1')).toBeUndefined();
  });
});
