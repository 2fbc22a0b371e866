import { specFor, UNITS, unitAliasAdded, unitDissolved, unitMerged, unitRegistered, unitRenamed } from '../testing/spec';
import { fold } from '../shared/decider';
import { unit } from './unit';

const { given } = specFor(unit, { id: UNITS.homeAffairs });

describe('units', () => {
  it('registers a unit under a registered parent', () => given([]).when(unitRegistered()).then([unitRegistered()]));
  it('refuses a parent that is not registered', () =>
    given([]).when(unitRegistered({ parentUnitId: 'ubnd-huyen-khac' })).thenRejects('unit.not_registered', 'data.parentUnitId'));
  it('refuses registering twice', () => given([unitRegistered()]).when(unitRegistered()).thenRejects('unit.already_exists'));
  it('keeps a name with diacritics exactly (NFC)', () =>
    given([]).when(unitRegistered({ name: 'UBND xã Đắk N’Drung'.normalize('NFD') }))
      .then([unitRegistered({ name: 'UBND xã Đắk N’Drung'.normalize('NFC') })]));

  it('renames, keeping the old name as an alias', () => {
    given([unitRegistered()]).when(unitRenamed()).then([unitRenamed()]);
    expect(fold(unit, [unitRegistered(), unitRenamed()])).toMatchObject({ name: 'Phòng Nội vụ', aliases: ['Phòng Nội vụ huyện Đắk Song'] });
  });
  it('refuses a rename to the same name', () =>
    given([unitRegistered()]).when(unitRenamed({ name: 'Phòng Nội vụ huyện Đắk Song' })).thenRejects('unit.same_name'));
  it('refuses renaming a dissolved unit', () => given([unitRegistered(), unitDissolved()]).when(unitRenamed()).thenRejects('unit.not_active'));

  it('adds an alias spelling (Đăk/Đắk)', () => given([unitRegistered()]).when(unitAliasAdded()).then([unitAliasAdded()]));
  it('refuses an alias it already has', () =>
    given([unitRegistered(), unitAliasAdded()]).when(unitAliasAdded()).thenRejects('unit.alias_exists'));

  it('merges into an active unit', () => given([unitRegistered()]).when(unitMerged()).then([unitMerged()]));
  it('refuses merging into itself', () =>
    given([unitRegistered()]).when(unitMerged({ intoUnitId: UNITS.homeAffairs })).thenRejects('unit.merge_into_self'));
  it('refuses merging into a dissolved unit', () =>
    given([unitRegistered()]).when(unitMerged({ intoUnitId: 'phong-giao-duc-cu' })).thenRejects('unit.not_active', 'data.intoUnitId'));
  it('refuses merging a unit already merged', () =>
    given([unitRegistered(), unitMerged()]).when(unitMerged()).thenRejects('unit.not_active'));

  it('dissolves an active unit', () => given([unitRegistered()]).when(unitDissolved()).then([unitDissolved()]));
  it('refuses dissolving twice', () => given([unitRegistered(), unitDissolved()]).when(unitDissolved()).thenRejects('unit.not_active'));
  it('refuses changes to an unknown unit', () => given([]).when(unitDissolved()).thenRejects('unit.not_found', 'id'));
  it('only admins write units', () => {
    given([]).when(unitRegistered()).by({ role: 'admin' }).allowed();
    given([]).when(unitRegistered()).by(UNITS.homeAffairs).refused('auth.not_your_record');
    given([unitRegistered()]).when(unitRenamed({ name: 'Phòng Nội vụ mới' })).by(UNITS.homeAffairs).refused('auth.not_your_record');
  });
  it('keeps that a unit keeps the register of incoming documents', () =>
    expect(fold(unit, [unitRegistered({ keepsRegister: true })])).toMatchObject({ status: 'active', keepsRegister: true }));
});
