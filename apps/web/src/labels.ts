/** The app's Vietnamese words for the API's codes (statuses, roles, kinds): never a raw code on screen. */
export const ROLE: Record<string, string> = { manager: 'Lãnh đạo', inspector: 'Đoàn kiểm tra', department: 'Phòng ban / UBND xã', admin: 'Quản trị' };
export const TASK_STATUS: Record<string, string> = { open: 'Đang thực hiện', done: 'Đã hoàn thành', cancelled: 'Đã hủy' };
export const INSPECTION_STATUS: Record<string, string> = { planned: 'Đã lên kế hoạch', in_progress: 'Đang kiểm tra', concluded: 'Đã kết luận' };
export const STAGE: Record<string, string> = {
  open: 'Đang nhận hồ sơ', applications_closed: 'Đã hết hạn nhận hồ sơ', council_formed: 'Đã thành lập hội đồng', results_approved: 'Đã phê duyệt kết quả', closed: 'Đã kết thúc',
};
export const RECRUITMENT_KIND: Record<string, string> = { vien_chuc: 'Tuyển dụng viên chức', cong_chuc_cap_xa: 'Tuyển dụng công chức cấp xã' };
export const LEGAL_STATUS: Record<string, string> = { draft: 'Dự thảo', issued: 'Đã ban hành', expired: 'Hết hiệu lực' };
export const UNIT_STATUS: Record<string, string> = { active: 'Đang hoạt động', merged: 'Đã sáp nhập', dissolved: 'Đã giải thể' };
export const UNIT_KIND: Record<string, string> = {
  province: 'Tỉnh', central: 'Trung ương', district: 'Huyện', department: 'Phòng, ban', commune: 'Xã, thị trấn', school: 'Trường học',
  public_service_unit: 'Đơn vị sự nghiệp', party_committee: 'Cấp ủy', mass_organisation: 'Đoàn thể', inspection_team: 'Đoàn kiểm tra', other: 'Khác',
};
export const SEVERITY: Record<string, string> = { warning: 'Cảnh báo', info: 'Lưu ý' };
export const VIEW_NAME: Record<string, string> = {
  'plan-progress': 'Tiến độ kế hoạch', 'inspection-log': 'Nhật ký kiểm tra', 'recruitment-pipeline': 'Tuyển dụng', 'legal-register': 'Văn bản QPPL', registry: 'Đơn vị và văn bản',
};
export const GENERATION_STATUS: Record<string, string> = { building: 'Đang dựng', active: 'Đang dùng', retired: 'Đã thay' };
export const label = (map: Record<string, string>, code: string | null | undefined) => (code ? map[code] ?? code : '–');
