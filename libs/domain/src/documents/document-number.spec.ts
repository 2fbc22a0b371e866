import { documentId, parseDocumentNumber, resolveDocument } from './document-number';

describe('document numbers as the seed writes them', () => {
  it.each([
    ['39/QĐ-UBND', { style: 'state', number: '39', symbol: 'QĐ-UBND', reference: '39/QĐ-UBND' }],
    ['01/2022/QĐ-UBND', { style: 'state', number: '01', year: 2022, symbol: 'QĐ-UBND', reference: '01/2022/QĐ-UBND' }],
    ['108a/KH-UBND', { style: 'state', number: '108a', symbol: 'KH-UBND', reference: '108a/KH-UBND' }],
    ['số100/KH-UBND', { style: 'state', number: '100', symbol: 'KH-UBND', reference: '100/KH-UBND' }],
    ['70 – KH/HU', { style: 'party', number: '70', symbol: 'KH/HU', reference: '70-KH/HU' }],
    ['09-NQ/TU', { style: 'party', number: '09', symbol: 'NQ/TU', reference: '09-NQ/TU' }],
    ['01/2015/TTLT-BNV-BTC', { style: 'state', number: '01', year: 2015, symbol: 'TTLT-BNV-BTC', reference: '01/2015/TTLT-BNV-BTC' }],
    ['399/BC-ĐKT', { style: 'state', number: '399', symbol: 'BC-ĐKT', reference: '399/BC-ĐKT' }],
    ['505/QĐ-TTg', { style: 'state', number: '505', symbol: 'QĐ-TTg', reference: '505/QĐ-TTg' }],
    ['1581/VPUBND-NCKSTT', { style: 'state', number: '1581', symbol: 'VPUBND-NCKSTT', reference: '1581/VPUBND-NCKSTT' }],
    ['Số: 122/BC-UBND', { style: 'state', number: '122', symbol: 'BC-UBND', reference: '122/BC-UBND' }],
  ])('parses %s', (raw, expected) => {
    expect(parseDocumentNumber(raw)).toEqual(expected);
  });

  it('reads decomposed (NFD) diacritics and non-breaking spaces as their composed form', () => {
    expect(parseDocumentNumber('\u00a039/QĐ-UBND'.normalize('NFD'))).toMatchObject({ symbol: 'QĐ-UBND' });
    expect(parseDocumentNumber('399/BC-ĐKT'.normalize('NFD')).symbol).toBe('BC-ĐKT'.normalize('NFC'));
  });

  it.each(['', 'QĐ-UBND', '39/', '/QĐ-UBND', '39/qđ-ubnd', '39 QĐ UBND', '1234567/QĐ-UBND', "39/QĐ-UBND'; DROP TABLE x"])(
    'refuses %j with document.number_invalid', (raw) => {
      expect(() => parseDocumentNumber(raw)).toThrow(expect.objectContaining({ code: 'document.number_invalid' }));
    });

  it('takes the year from the date when the number has none', () => {
    expect(resolveDocument('39/QĐ-UBND', '2022-01-10', 'ubnd-dak-song')).toMatchObject({ year: 2022, date: '2022-01-10' });
  });

  it('refuses a NN/YYYY/TYPE number dated in another year (the seed\'s 01/2020/TT-VPCP of 21/10/2021)', () => {
    expect(() => resolveDocument('01/2020/TT-VPCP', '2021-10-21', 'vp-chinh-phu')).toThrow(
      expect.objectContaining({ code: 'document.year_mismatch', message: expect.stringContaining('2020') }),
    );
    expect(resolveDocument('01/2020/TT-VPCP', '2020-10-21', 'vp-chinh-phu')).toMatchObject({ year: 2020 });
  });

  it('identifies a document by issuer, number, symbol and year, not by symbol alone', () => {
    const province2017 = documentId(resolveDocument('01/CT-UBND', '2017-01-05', 'ubnd-tinh-dak-nong'));
    const province2022 = documentId(resolveDocument('01/CT-UBND', '2022-01-11', 'ubnd-tinh-dak-nong'));
    const district = documentId(resolveDocument('61/KH-UBND', '2022-09-14', 'ubnd-xa-nam-binh'));
    expect(new Set([province2017, province2022, district, documentId(resolveDocument('61/KH-UBND', '2022-03-01', 'ubnd-dak-song'))]).size).toBe(4);
    expect(documentId(resolveDocument('01/2022/QĐ-UBND', '2022-02-22', 'ubnd-dak-song')))
      .toBe(documentId(resolveDocument('1/2022/QĐ-UBND', '2022-02-22', 'ubnd-dak-song')));
    expect(documentId(resolveDocument('39/QĐ-UBND', '2022-01-10', 'ubnd-dak-song'))).toBe('ubnd-dak-song.2022.39.qd-ubnd');
  });
});
