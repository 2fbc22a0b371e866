/**
 * Text as it is stored: Unicode NFC (the seed mixes NFC and decomposed NFD diacritics, which look
 * the same and compare different), non-breaking and other exotic spaces turned into plain spaces,
 * trimmed. Applied to every string of a command, keys included, before a decision is made.
 */
export const normaliseText = (value: string): string =>
  value.normalize('NFC').replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]/g, ' ').trim();

export const normaliseDeep = <T>(value: T): T => {
  if (typeof value === 'string') return normaliseText(value) as T;
  if (Array.isArray(value)) return value.map(normaliseDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [normaliseText(k), normaliseDeep(v)])) as T;
  }
  return value;
};

/** An ASCII slug for identifiers: `UBND huyện Đắk Song` → `ubnd-huyen-dak-song`. */
export const slug = (value: string): string =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
