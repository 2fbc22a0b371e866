import { examples } from '@reform-ledger/domain';
import { foldView, stored } from '../testing';
import { registryView } from './registry.view';

describe('registry reducer', () => {
  it('keeps unit names over time and document references', () => {
    const history = [stored('unit:u1', examples.unitRegistered({ name: 'Phòng Nội vụ huyện Đắk Song' })), stored('unit:u1', examples.unitRenamed())];
    expect(foldView(registryView, 'unit', 'u1', history)).toMatchObject({ name: 'Phòng Nội vụ', aliases: ['Phòng Nội vụ huyện Đắk Song'] });
    const doc = [stored(`document:${examples.DOCUMENTS.plan2022}`, examples.documentRegistered())];
    expect(foldView(registryView, 'document', examples.DOCUMENTS.plan2022, doc)).toMatchObject({ reference: '39/QĐ-UBND', date: '2022-01-10' });
  });
});
