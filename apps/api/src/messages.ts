import { IsoDate, isCalendarDate, isDateTime, localDayOf, vietnameseDate } from '@reform-ledger/calendar';
import { DECIDERS, RECORD_KINDS, RecordKind } from '@reform-ledger/domain';

/**
 * Every sentence the API says to a person, in Vietnamese (the default) and English (`Accept-Language:
 * en`): the `title` of each status, the `detail` of each problem code, the `reason` of each field error.
 * `code` stays the stable machine value; these are for the person reading, and say what to do.
 *
 * How to add a message (for a new error of yours):
 *   1. Choose its key: a problem `code` (`task.already_completed`) for a detail, or a reason kind
 *      (`query.unknown`) for a field's reason. Keys are shared: a domain code also serves as a reason.
 *   2. Add `key: { vi: (p) => …, en: (p) => … }` below, in the group it belongs to, reading the
 *      parameters you will pass (`p.taskId`, `p.limit`…). Format dates with `day(p.x, lang)`.
 *   3. Raise it: `new Problem(400, 'your.code', { …params }, [{ field: 'x', reason: 'your.reason', params }])`.
 *      A DomainError's code and params are rendered the same way: give it params, not prose.
 *   messages.spec.ts fails when a code the domain throws, or a key used in the API, has no entry.
 */
export type Lang = 'vi' | 'en';
export type Params = Record<string, unknown>;
type Text = (p: Params, lang: Lang) => string;
type Entry = { vi: Text; en: Text };

/** A date or instant as each language writes it: 30/11/2022 (an instant: its day and time in the ledger's zone) or 2022-11-30. */
export const day = (value: unknown, lang: Lang): string => {
  if (typeof value !== 'string') return String(value);
  if (isCalendarDate(value)) return lang === 'vi' ? vietnameseDate(value) : value;
  if (!isDateTime(value)) return value;
  const date: IsoDate = localDayOf(value);
  return lang === 'vi' ? `${value} (ngày ${vietnameseDate(date)})` : `${value} (${date})`;
};
const list = (value: unknown) => (Array.isArray(value) ? value.join(', ') : String(value ?? ''));
const route = (p: Params) => (p.method && p.path ? ` ${p.method} ${p.path}` : '');
const q = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

const KIND_VI: Record<RecordKind, string> = {
  unit: 'đơn vị', document: 'văn bản', plan: 'kế hoạch', task: 'nhiệm vụ', inspection: 'đợt kiểm tra',
  'legal-document': 'văn bản QPPL', recruitment: 'đợt tuyển dụng',
};
const KIND_EN: Record<RecordKind, string> = {
  unit: 'unit', document: 'document', plan: 'plan', task: 'task', inspection: 'inspection', 'legal-document': 'legal document', recruitment: 'recruitment drive',
};
const kindVi = (p: Params) => KIND_VI[p.kind as RecordKind] ?? String(p.kind);
const kindEn = (p: Params) => KIND_EN[p.kind as RecordKind] ?? String(p.kind);

const STATUS_VI: Record<string, string> = {
  open: 'đang thực hiện', done: 'đã hoàn thành', cancelled: 'đã hủy', absent: 'chưa có', draft: 'dự thảo', issued: 'đã ban hành',
  expired: 'đã hết hiệu lực', received: 'đã tiếp nhận', withdrawn: 'đã rút', eligible: 'đủ điều kiện', ineligible: 'không đủ điều kiện',
  passed: 'đã trúng tuyển', appointed: 'đã được tuyển dụng', merged: 'đã sáp nhập', dissolved: 'đã giải thể', active: 'đang hoạt động',
};
const statusVi = (s: unknown) => STATUS_VI[String(s)] ?? String(s);

/** What is wrong with a date (calendar.describeDate's `problem`), in each language. */
const DATE_PROBLEMS: Record<string, Entry> = {
  not_text: { vi: () => 'phải là một chuỗi ngày dạng YYYY-MM-DD, ví dụ "2022-11-30"', en: () => 'must be a date written as text, YYYY-MM-DD, e.g. "2022-11-30"' },
  day_not_in_month: {
    vi: (p) => `ngày ${p.day} không có trong tháng ${p.month}/${p.year} (tháng ${p.month} có ${p.days} ngày)`,
    en: (p) => `day ${p.day} does not exist in ${p.year}-${String(p.month).padStart(2, '0')} (that month has ${p.days} days)`,
  },
  month_invalid: { vi: (p) => `không có tháng ${p.month}: tháng từ 01 đến 12`, en: (p) => `there is no month ${p.month}: months run from 01 to 12` },
  year_out_of_range: { vi: (p) => `năm ${p.year} nằm ngoài khoảng ${p.min}–${p.max}`, en: (p) => `the year ${p.year} is outside ${p.min}–${p.max}` },
  day_first: { vi: (p) => `hãy viết theo dạng YYYY-MM-DD: ${p.suggestion}`, en: (p) => `write it as YYYY-MM-DD: ${p.suggestion}` },
  zone_missing: {
    vi: (p) => `thời điểm cần có múi giờ (Z hoặc ±hh:mm), ví dụ ${p.suggestion}; hoặc chỉ ghi ngày YYYY-MM-DD`,
    en: (p) => `a time needs its zone (Z or ±hh:mm), e.g. ${p.suggestion}; or give the date alone, YYYY-MM-DD`,
  },
  time_invalid: { vi: () => 'giờ không hợp lệ: giờ 00–23, phút và giây 00–59', en: () => 'the time is not valid: hours 00–23, minutes and seconds 00–59' },
  datetime_not_allowed: { vi: (p) => `ở đây chỉ ghi ngày, không ghi giờ: ${p.suggestion}`, en: (p) => `give the date alone here, without a time: ${p.suggestion}` },
  format: {
    vi: () => 'phải là ngày YYYY-MM-DD (ví dụ 2022-11-30) hoặc thời điểm ISO 8601 có múi giờ (ví dụ 2022-11-30T08:00:00+07:00)',
    en: () => 'must be a date YYYY-MM-DD (e.g. 2022-11-30) or an ISO-8601 datetime with a zone (e.g. 2022-11-30T08:00:00+07:00)',
  },
};
const dateProblem = (p: Params, lang: Lang) => (DATE_PROBLEMS[String(p.problem)] ?? DATE_PROBLEMS.format)[lang](p, lang);

const notFound: Entry = {
  vi: (p) => {
    const kind = p.kind as RecordKind;
    return `Chưa có ${kindVi(p)} ${p.id}: hãy ghi sự kiện tạo ${kindVi(p)} (${DECIDERS[kind]?.creates.join(', ')}) trước, hoặc kiểm tra lại mã.`;
  },
  en: (p) => `No ${kindEn(p)} ${p.id} has been recorded: record the event that creates it (${DECIDERS[p.kind as RecordKind]?.creates.join(', ')}) first, or check the id.`,
};
const alreadyExists: Entry = {
  vi: (p) => `${kindVi(p)[0].toUpperCase()}${kindVi(p).slice(1)} ${p.id} đã tồn tại: không tạo lại; hãy ghi các sự kiện tiếp theo của nó, hoặc dùng mã khác.`,
  en: (p) => `${kindEn(p)[0].toUpperCase()}${kindEn(p).slice(1)} ${p.id} already exists: do not create it again; record its next events, or use another id.`,
};

export const MESSAGES: Record<string, Entry> = {
  // Titles, by HTTP status.
  'title.400': { vi: () => 'Yêu cầu không hợp lệ', en: () => 'The request is invalid' },
  'title.401': { vi: () => 'Thiếu khóa truy cập hoặc khóa không hợp lệ', en: () => 'Credentials are missing or not valid' },
  'title.403': { vi: () => 'Khóa này không được phép làm việc này', en: () => 'Not allowed for these credentials' },
  'title.404': { vi: () => 'Không tìm thấy', en: () => 'Not found' },
  'title.409': { vi: () => 'Xung đột với phiên bản hiện tại của hồ sơ', en: () => 'Conflict with the current version of the record' },
  'title.413': { vi: () => 'Yêu cầu quá lớn', en: () => 'The request is too large' },
  'title.415': { vi: () => 'Không đọc được kiểu nội dung này', en: () => 'Unsupported content' },
  'title.422': { vi: () => 'Bị từ chối theo quy tắc nghiệp vụ', en: () => 'Refused by a rule of the domain' },
  'title.408': { vi: () => 'Hết thời gian chờ yêu cầu', en: () => 'Request timed out' },
  'title.431': { vi: () => 'Phần đầu (header) của yêu cầu quá lớn', en: () => 'Request headers too large' },
  'title.429': { vi: () => 'Quá nhiều yêu cầu', en: () => 'Too many requests' },
  'title.500': { vi: () => 'Lỗi hệ thống', en: () => 'Internal error' },
  'title.503': { vi: () => 'Dịch vụ tạm thời chưa sẵn sàng', en: () => 'Service unavailable' },

  // The request itself.
  'request.invalid': {
    vi: (p) => `Yêu cầu có ${p.count ?? 'một số'} lỗi; mỗi mục trong errors nêu trường bị lỗi và cách sửa.`,
    en: (p) => `The request has ${p.count ?? 'some'} error(s); each item of errors names the field and how to fix it.`,
  },
  'batch.items_invalid': {
    vi: (p) => `${p.invalid} trong ${p.total} mục của lô không hợp lệ; chưa ghi mục nào. Sửa các mục được nêu trong errors rồi gửi lại cả lô.`,
    en: (p) => `${p.invalid} of ${p.total} submissions are invalid; nothing was recorded. Fix the items named in errors and send the batch again.`,
  },
  'request.unknown_parameter': {
    vi: (p) => `Tham số ${p.name} không có ở đường dẫn này${p.suggestion ? `; có phải ý bạn là ${p.suggestion}?` : '.'} Các tham số được nhận: ${list(p.allowed) || '(không có)'}.`,
    en: (p) => `This route has no parameter ${p.name}${p.suggestion ? `; did you mean ${p.suggestion}?` : '.'} Parameters it takes: ${list(p.allowed) || '(none)'}.`,
  },
  'request.malformed_json': {
    vi: () => 'Nội dung gửi lên không phải JSON hợp lệ: kiểm tra dấu ngoặc, dấu phẩy và dấu nháy kép (") rồi gửi lại.',
    en: () => 'The body is not valid JSON: check brackets, commas and double quotes (") and send it again.',
  },
  'request.too_large': {
    vi: (p) => `Nội dung yêu cầu vượt quá giới hạn ${p.limit}${p.hint ? `: ${p.hintVi ?? p.hint}` : ''}.`,
    en: (p) => `The request body is larger than the limit of ${p.limit}${p.hint ? `: ${p.hint}` : ''}.`,
  },
  'request.unreadable': {
    vi: () => 'Không đọc được nội dung: hãy gửi JSON mã hóa UTF-8 với Content-Type: application/json.',
    en: () => 'The body could not be read: send UTF-8 JSON with Content-Type: application/json.',
  },
  'request.invalid_utf8': {
    vi: () => 'Nội dung gửi lên có byte không phải UTF-8 hợp lệ: hãy lưu và gửi văn bản ở mã UTF-8 (không lưu thay bằng ký tự thay thế �).',
    en: () => 'The body holds bytes that are not valid UTF-8: send the text encoded as UTF-8 (nothing is stored with replacement characters �).',
  },
  'request.too_deep': {
    vi: (p) => `Nội dung JSON lồng nhau quá ${p.max} cấp; không có yêu cầu hợp lệ nào lồng sâu như vậy.`,
    en: (p) => `The JSON body is nested deeper than ${p.max} levels; no valid request is nested that deep.`,
  },
  'request.unparseable': {
    vi: () => 'Không đọc được yêu cầu HTTP (dòng yêu cầu hoặc header sai cú pháp): hãy kiểm tra lại phương thức, đường dẫn và các header.',
    en: () => 'The HTTP request could not be parsed (a malformed request line or header): check the method, the path and the headers.',
  },
  'request.headers_too_large': {
    vi: () => 'Các header của yêu cầu quá lớn: hãy gửi ít header hơn hoặc ngắn hơn.',
    en: () => 'The request headers are too large: send fewer or shorter headers.',
  },
  'request.timeout': {
    vi: () => 'Yêu cầu không được gửi hết trong thời gian cho phép: hãy gửi lại.',
    en: () => 'The request was not received in time: send it again.',
  },
  'batch.too_large': {
    vi: (p) => `Một lô có tối đa ${p.max} mục; lô này có ${p.count}. Hãy chia thành nhiều lô.`,
    en: (p) => `A batch holds at most ${p.max} submissions; this one has ${p.count}. Split it into several batches.`,
  },
  'batch.refused': {
    vi: (p) => `${p.refused} trong ${p.total} mục bị từ chối; chưa ghi mục nào. Sửa các mục được nêu trong errors rồi gửi lại cả lô.`,
    en: (p) => `${p.refused} of ${p.total} submissions were refused; nothing was recorded. Fix the items named in errors and send the batch again.`,
  },
  'route.not_found': {
    vi: (p) => `Không có đường dẫn${route(p)}: xem danh sách tại /docs.`,
    en: (p) => `There is no route${route(p)}: see the list at /docs.`,
  },
  'demo.off': {
    vi: () => 'Hệ thống không chạy ở chế độ thử nên không có khóa thử: hãy dùng khóa do quản trị viên cấp.',
    en: () => 'This install is not in demo mode, so there are no demo keys: use a key issued by an administrator.',
  },
  'route.collection_unknown': {
    vi: (p) => `Không có loại hồ sơ ${p.collection}; dùng một trong: ${list(p.collections)}.`,
    en: (p) => `There is no collection ${p.collection}; use one of: ${list(p.collections)}.`,
  },

  // Credentials and rights.
  'auth.missing': {
    vi: () => 'Hãy gửi khóa truy cập trong header: Authorization: Bearer <khóa> (khóa thử: demo-admin, demo-manager, demo-inspector, demo-dept-<mã đơn vị>).',
    en: () => 'Send an API key in the header: Authorization: Bearer <key> (demo keys: demo-admin, demo-manager, demo-inspector, demo-dept-<unitId>).',
  },
  'auth.malformed': { vi: () => 'Header Authorization phải có dạng "Bearer <khóa>".', en: () => 'The Authorization header must be "Bearer <key>".' },
  'auth.invalid_key': {
    vi: () => 'Khóa truy cập không đúng: kiểm tra lại khóa, hoặc xin quản trị viên cấp khóa mới.',
    en: () => 'The API key is not known: check it, or ask an admin for a new one.',
  },
  'auth.revoked_key': {
    vi: (p) => `Khóa ${p.keyId} đã bị thu hồi lúc ${p.revokedAt}: xin quản trị viên cấp khóa mới.`,
    en: (p) => `The API key ${p.keyId} was revoked at ${p.revokedAt}: ask an admin for a new one.`,
  },
  'auth.too_many_failures': {
    vi: (p) => `Quá nhiều lần xác thực thất bại từ địa chỉ này (hơn ${p.limit} lần trong một phút): hãy thử lại sau ${p.seconds} giây với một khóa đúng.`,
    en: (p) => `Too many failed authentications from this address (more than ${p.limit} in a minute): try again in ${p.seconds} s with a valid key.`,
  },
  'auth.role_forbidden': {
    vi: (p) => (p.allowed
      ? `Vai trò ${p.role} không được ${p.method} ${p.path}; vai trò được phép: ${list(p.allowed)}.`
      : `Vai trò ${p.role} chỉ đọc, không ghi sự kiện: hãy dùng khóa của phòng, ban (department) hoặc của quản trị viên.`),
    en: (p) => (p.allowed
      ? `The ${p.role} role may not ${p.method} ${p.path}; allowed: ${list(p.allowed)}.`
      : `The ${p.role} role reads; it does not record events: use a department's key or an admin's.`),
  },
  'auth.not_your_record': {
    vi: (p) => `Đơn vị ${p.unitId} không được ghi ${p.type} cho ${KIND_VI[p.kind as RecordKind] ?? p.kind} ${p.id}` +
      (Array.isArray(p.writers) && p.writers.length ? `; hồ sơ này do ${list(p.writers)} cập nhật.` : '; chỉ quản trị viên được ghi.'),
    en: (p) => `Unit ${p.unitId} may not record ${p.type} on ${KIND_EN[p.kind as RecordKind] ?? p.kind} ${p.id}` +
      (Array.isArray(p.writers) && p.writers.length ? `; it is kept by ${list(p.writers)}.` : '; only an admin may.'),
  },

  // Writing.
  version_conflict: {
    vi: (p) => `${p.streamId} đang ở phiên bản ${p.actual}, không phải ${p.expected}: hãy đọc lại hồ sơ rồi gửi lại với If-Match: "${p.actual}".`,
    en: (p) => `${p.streamId} is at version ${p.actual}, not ${p.expected}; read it again and retry with If-Match: "${p.actual}".`,
  },
  'idempotency_key.reused': {
    vi: (p) => `Idempotency-Key ${p.key} đã được dùng cho một yêu cầu khác trên ${p.streamId} (nội dung khác, hoặc gửi bằng khóa API khác): mỗi yêu cầu mới cần một khóa mới; chỉ dùng lại khóa khi chính khóa API đó gửi lại đúng yêu cầu đó.`,
    en: (p) => `Idempotency key ${p.key} was already used on ${p.streamId} for a different request (another body, or another API key): a new request needs a new key; reuse a key only to retry the same request with the same API key.`,
  },
  concurrent_append: {
    vi: (p) => `Một lần ghi khác cùng khóa vào ${p.streamId} vừa hoàn tất trước; hãy gửi lại yêu cầu.`,
    en: (p) => `A concurrent append to ${p.streamId} with the same key committed first; send the request again.`,
  },
  'stream_id.invalid': { vi: (p) => `Mã hồ sơ phải có từ 1 đến ${p.max ?? 200} ký tự in được.`, en: (p) => `A record id must be 1 to ${p.max ?? 200} printable characters.` },
  'events.empty': { vi: () => 'Cần ít nhất một sự kiện.', en: () => 'At least one event is needed.' },
  'events.too_many': { vi: (p) => `Tối đa ${p.max} sự kiện mỗi lần ghi.`, en: (p) => `At most ${p.max} events per append.` },
  'event.type_invalid': { vi: () => 'Loại sự kiện phải là một định danh tối đa 100 ký tự.', en: () => 'The event type must be an identifier of at most 100 characters.' },
  'event.schema_version_invalid': { vi: () => 'Phiên bản lược đồ phải là số nguyên dương.', en: () => 'The schema version must be a positive integer.' },
  'event.occurred_at_invalid': { vi: () => 'occurredAt phải là ngày YYYY-MM-DD hoặc thời điểm ISO 8601 có múi giờ.', en: () => 'occurredAt must be a date YYYY-MM-DD or an ISO-8601 datetime with a zone.' },
  'event.id_invalid': { vi: () => 'Mã sự kiện phải là UUID.', en: () => 'The event id must be a UUID.' },
  'payload.not_serialisable': { vi: () => 'Dữ liệu chỉ được chứa JSON thuần (chuỗi không có ký tự NUL, số hữu hạn, lồng nhau không quá 100 cấp).', en: () => 'Data may hold plain JSON only (strings without NUL, finite numbers, nested at most 100 levels).' },
  'payload.too_large': {
    vi: (p) => `Dữ liệu của một sự kiện là ${p.size} byte, vượt giới hạn ${p.limit} byte (${Math.round(Number(p.limit) / 1024)} KiB): hãy rút gọn ghi chú, hoặc đính kèm văn bản bằng mã văn bản thay vì nội dung.`,
    en: (p) => `The event's data is ${p.size} bytes, over the limit of ${p.limit} bytes (${Math.round(Number(p.limit) / 1024)} KiB): shorten the notes, or cite a document by its id rather than its text.`,
  },
  'idempotency_key.invalid': { vi: () => 'Idempotency-Key phải có từ 1 đến 200 ký tự.', en: () => 'The idempotency key must be 1 to 200 characters.' },
  'expected_version.invalid': { vi: () => 'If-Match phải là phiên bản mong đợi, ví dụ "3".', en: () => 'If-Match must be the expected version, e.g. "3".' },

  // Reading.
  'view.not_found': {
    vi: (p) => `${kindVi(p)[0].toUpperCase()}${kindVi(p).slice(1)} ${p.id} không có ở thời điểm cắt này: kiểm tra lại mã, hoặc chọn asOf/knownAt/position muộn hơn.`,
    en: (p) => `${kindEn(p)[0].toUpperCase()}${kindEn(p).slice(1)} ${p.id} does not exist at this cut: check the id, or choose a later asOf, knownAt or position.`,
  },
  'view.behind': {
    vi: (p) => `Các bảng xem chưa cập nhật tới vị trí ${p.position} của sổ cái; hãy thử lại sau giây lát (Retry-After).`,
    en: (p) => `The views have not reached ledger position ${p.position} yet; retry shortly (Retry-After).`,
  },
  'view.outdated': {
    vi: (p) => `Bảng xem ${p.view} đang được dựng lại sau khi nâng cấp; hãy thử lại sau giây lát (Retry-After).`,
    en: (p) => `The view ${p.view} is being rebuilt after an upgrade; retry shortly (Retry-After).`,
  },
  'view.unknown': { vi: (p) => `Không có bảng xem ${p.name}; các bảng xem: ${list(p.views)}.`, en: (p) => `No view ${p.name}; views: ${list(p.views)}.` },
  'view.rebuilding': { vi: (p) => `Bảng xem ${p.name} đang được dựng lại; chờ lần dựng này xong.`, en: (p) => `${p.name} is already being rebuilt; wait for it to finish.` },
  'report.unit_required': {
    vi: (p) => (Array.isArray(p.units) && p.units.length
      ? `Năm ${p.year} có kế hoạch CCHC của ${p.units.length} đơn vị (${list(p.units)}): hãy chỉ rõ đơn vị báo cáo (unitId).`
      : `Sổ cái chưa có kế hoạch CCHC năm ${p.year}: hãy chỉ rõ đơn vị báo cáo (unitId), hoặc chọn năm khác.`),
    en: (p) => (Array.isArray(p.units) && p.units.length
      ? `${p.year} has CCHC plans of ${p.units.length} units (${list(p.units)}): name the reporting unit (unitId).`
      : `The ledger holds no CCHC plan for ${p.year}: name the reporting unit (unitId), or choose another year.`),
  },
  'report.unit_not_found': {
    vi: (p) => `Đơn vị ${p.unitId} không có trong sổ đăng ký đơn vị tại lát cắt này: kiểm tra lại mã đơn vị, hoặc chọn asOf muộn hơn.`,
    en: (p) => `Unit ${p.unitId} is not in the unit registry at this cut: check the unit id, or choose a later asOf.`,
  },
  'tree_head.none': {
    vi: () => 'Sổ cái chưa có sự kiện nào nên chưa có đầu cây được ký: hãy ghi sự kiện trước.',
    en: () => 'The ledger holds no event yet, so there is no signed tree head: record an event first.',
  },
  'tree_head.not_found': {
    vi: (p) => `Không có đầu cây được ký với kích thước ${p.treeSize}: dùng treeSize của một đầu cây từ GET /api/v1/audit/tree-head, hoặc bỏ tham số để dùng đầu cây mới nhất.`,
    en: (p) => `No signed tree head has size ${p.treeSize}: use the treeSize of a head from GET /api/v1/audit/tree-head, or leave it out for the latest.`,
  },
  'tree_head.ledger_rewritten': {
    vi: (p) => `Sổ cái không còn giữ sự kiện ở vị trí ${p.position} như cây Merkle đã ghi: nó đã bị sửa hoặc xóa sau khi đầu cây được ký. Không ký đầu cây mới; hãy chạy GET /api/v1/audit/verify.`,
    en: (p) => `The ledger no longer holds the event at position ${p.position} as the Merkle tree recorded it: it was changed or deleted after a head was signed. No new head is signed; run GET /api/v1/audit/verify.`,
  },
  'proof.not_in_tree': {
    vi: (p) => `Sự kiện ở vị trí ${p.position} không nằm trong cây kích thước ${p.treeSize}: vị trí chưa có (hoặc là chỗ trống của một lần ghi bị hủy), hoặc được ghi sau đầu cây đó; hãy lấy đầu cây mới hơn.`,
    en: (p) => `No event at position ${p.position} is in the tree of size ${p.treeSize}: the position holds nothing (or the hole of a rolled-back append), or was recorded after that head; take a newer head.`,
  },
  'query.tree_size_above': { vi: (p) => `lớn hơn kích thước cây sau (${p.to})`, en: (p) => `is larger than the later tree size (${p.to})` },
  'stream.not_found': { vi: (p) => `Chưa có sự kiện nào trên ${p.streamId}: kiểm tra loại và mã hồ sơ (ví dụ task:NV-01).`, en: (p) => `No events on ${p.streamId}: check the kind and id (e.g. task:NV-01).` },
  'api_key.not_found': { vi: (p) => `Không có khóa ${p.keyId}.`, en: (p) => `No API key ${p.keyId}.` },
  'database.unavailable': {
    vi: () => 'Cơ sở dữ liệu của sổ cái tạm thời không trả lời; chưa có gì được ghi. Hãy gửi lại yêu cầu sau vài giây (xem Retry-After), với cùng Idempotency-Key.',
    en: () => 'The ledger\'s database does not answer for now; nothing was recorded. Send the request again in a few seconds (see Retry-After), with the same Idempotency-Key.',
  },
  'internal': { vi: () => 'Đã xảy ra lỗi không mong muốn; lỗi đã được ghi nhận (kèm requestId).', en: () => 'An unexpected error occurred; it has been logged (with the requestId).' },
  'http.error': { vi: (p) => `Lỗi HTTP ${p.status}.`, en: (p) => `HTTP error ${p.status}.` },

  // Field reasons: the body.
  'field.required': { vi: () => 'là trường bắt buộc', en: () => 'is required' },
  'field.unknown': {
    vi: (p) => `không phải là trường ở đây; các trường được nhận: ${list(p.allowed)}`,
    en: (p) => `is not a field here; the fields are: ${list(p.allowed)}`,
  },
  'field.invalid': { vi: () => 'có giá trị không hợp lệ', en: () => 'is not valid' },
  'key.forbidden': { vi: () => 'không phải là tên trường được phép', en: () => 'is not an allowed key' },
  'nesting.too_deep': { vi: (p) => `lồng nhau quá ${p.max} cấp`, en: (p) => `is nested deeper than ${p.max} levels` },
  'object.type': { vi: () => 'phải là một đối tượng JSON { … }', en: () => 'must be a JSON object { … }' },
  'body.not_object': { vi: () => 'phải là một đối tượng JSON { "type", "occurredAt", "data" }', en: () => 'must be a JSON object { "type", "occurredAt", "data" }' },
  'body.batch': { vi: () => 'phải là một mảng các mục (hoặc { "submissions": [ … ] }), không rỗng', en: () => 'must be a non-empty array of submissions (or { "submissions": [ … ] })' },
  'body.item': { vi: () => 'phải là một đối tượng { stream, type, occurredAt, data, idempotencyKey }', en: () => 'must be an object { stream, type, occurredAt, data, idempotencyKey }' },
  'body.batch_size': { vi: (p) => `có hơn ${p.max} mục`, en: (p) => `holds more than ${p.max} submissions` },
  'body.too_large': { vi: (p) => `lớn hơn ${p.limit}`, en: (p) => `is larger than ${p.limit}` },
  'body.malformed': { vi: () => 'không phải JSON hợp lệ', en: () => 'is not valid JSON' },
  'body.unreadable': { vi: () => 'không đọc được', en: () => 'could not be read' },
  'text.surrogate': {
    vi: () => 'chứa một nửa cặp ký tự thay thế UTF-16 (ví dụ "\\ud800") không đi kèm nửa còn lại: đó không phải là ký tự; hãy gửi văn bản Unicode hợp lệ',
    en: () => 'holds half of a UTF-16 surrogate pair (e.g. "\\ud800") without its other half: that is not a character; send valid Unicode text',
  },
  'key.surrogate': {
    vi: () => 'có tên trường chứa một nửa cặp ký tự thay thế UTF-16 không đi kèm nửa còn lại',
    en: () => 'has a key holding half of a UTF-16 surrogate pair without its other half',
  },
  'text.control': {
    vi: () => 'chứa ký tự điều khiển (ví dụ NUL hoặc ký tự ESC của chuỗi ANSI); chỉ được dùng tab và xuống dòng',
    en: () => 'holds a control character (e.g. NUL, or the ESC of an ANSI escape); only tabs and line breaks are allowed',
  },
  'text.control_line': {
    vi: () => 'phải là một dòng chữ: không có ký tự điều khiển (NUL, ESC của chuỗi ANSI…), tab hay xuống dòng',
    en: () => 'must be one line of text: no control character (NUL, the ESC of an ANSI escape…), tab or line break',
  },
  'text.blank': {
    vi: () => 'không được chỉ có khoảng trắng: hãy ghi nội dung',
    en: () => 'must not be only spaces: write something',
  },
  'body.invalid_utf8': { vi: () => 'không phải văn bản UTF-8 hợp lệ', en: () => 'is not valid UTF-8 text' },
  'path.format': {
    vi: () => 'phải có từ 1 đến 200 ký tự ASCII in được, không có khoảng trắng hay ký tự điều khiển',
    en: () => 'must be 1 to 200 visible ASCII characters, with no space or control character',
  },
  'text.type': { vi: () => 'phải là một chuỗi ký tự', en: () => 'must be text' },
  'text.length': { vi: (p) => `phải dài từ ${p.min} đến ${p.max} ký tự`, en: (p) => `must be ${p.min} to ${p.max} characters long` },
  'id.format': {
    vi: () => 'phải là một mã: chữ cái không dấu, chữ số và . _ ~ -, bắt đầu bằng chữ hoặc số, tối đa 128 ký tự (ví dụ phong-noi-vu)',
    en: () => 'must be an id: letters, digits and . _ ~ -, starting with a letter or digit, at most 128 characters (e.g. phong-noi-vu)',
  },
  'ids.format': {
    vi: () => 'mỗi phần tử phải là một mã: chữ cái không dấu, chữ số và . _ ~ -, tối đa 128 ký tự',
    en: () => 'each item must be an id: letters, digits and . _ ~ -, at most 128 characters',
  },
  'texts.format': { vi: (p) => `mỗi phần tử phải là chuỗi dài từ 1 đến ${p.max} ký tự`, en: (p) => `each item must be text of 1 to ${p.max} characters` },
  'list.type': { vi: () => 'phải là một mảng [ … ]', en: () => 'must be a list [ … ]' },
  'list.size': { vi: (p) => `phải có từ ${p.min} đến ${p.max} phần tử`, en: (p) => `must hold ${p.min} to ${p.max} items` },
  'list.unique': { vi: () => 'không được có phần tử trùng nhau', en: () => 'must not repeat an item' },
  'integer.type': { vi: () => 'phải là một số nguyên', en: () => 'must be a whole number' },
  'integer.range': { vi: (p) => `phải là số nguyên từ ${p.min} đến ${p.max}`, en: (p) => `must be a whole number from ${p.min} to ${p.max}` },
  'boolean.type': { vi: () => 'phải là true hoặc false', en: () => 'must be true or false' },
  one_of: { vi: (p) => `phải là một trong: ${list(p.values)}`, en: (p) => `must be one of: ${list(p.values)}` },
  'date.problem': { vi: (p, lang) => dateProblem(p, lang), en: (p, lang) => dateProblem(p, lang) },
  'type.unknown': {
    vi: (p) => `phải là một loại sự kiện của ${kindVi(p)}: ${list(p.allowed)}`,
    en: (p) => `must be one of the event types of a ${kindEn(p)}: ${list(p.allowed)}`,
  },
  'type.wrong_collection': {
    vi: (p) => `${p.type} là sự kiện của ${KIND_VI[p.belongsTo as RecordKind]}: gửi tới /api/v1/${p.collection}/{id}/events. Sự kiện của ${kindVi(p)}: ${list(p.allowed)}`,
    en: (p) => `${p.type} is an event of a ${KIND_EN[p.belongsTo as RecordKind]}: post it to /api/v1/${p.collection}/{id}/events. The events of a ${kindEn(p)} are: ${list(p.allowed)}`,
  },
  'stream.kind': { vi: (p) => `phải là một trong: ${list(p.allowed)}`, en: (p) => `must be one of: ${list(p.allowed)}` },
  'record.id': {
    vi: () => 'phải là một mã hồ sơ: chữ cái không dấu, chữ số và . _ ~ -, tối đa 128 ký tự',
    en: () => 'must be a record id: letters, digits and . _ ~ -, at most 128 characters',
  },

  // Field reasons: headers.
  'header.idempotency_key.missing': {
    vi: () => 'thiếu header Idempotency-Key: mỗi lần ghi gửi kèm một khóa duy nhất do bạn đặt, ví dụ Idempotency-Key: nv-01-hoan-thanh-20221120; khi gửi lại do lỗi mạng, dùng lại đúng khóa đó để không ghi trùng',
    en: () => 'the Idempotency-Key header is missing: send a unique key of your choice with every write, e.g. Idempotency-Key: nv-01-done-20221120; when you retry after a network error, reuse the same key so nothing is recorded twice',
  },
  'item.idempotency_key.missing': {
    vi: () => 'mỗi mục của lô cần idempotencyKey riêng (ví dụ "nhap-2022-nv-01"), để gửi lại lô không ghi trùng',
    en: () => 'each item of a batch needs its own idempotencyKey (e.g. "import-2022-nv-01"), so a retried batch records nothing twice',
  },
  'header.idempotency_key.invalid': { vi: () => 'phải có từ 1 đến 200 ký tự ASCII in được, không có khoảng trắng', en: () => 'must be 1 to 200 visible ASCII characters, no spaces' },
  'header.if_match.invalid': { vi: () => 'phải là phiên bản mong đợi của hồ sơ, ví dụ "3"', en: () => 'must be the expected stream version, e.g. "3"' },
  'header.authorization.missing': { vi: () => 'thiếu header Authorization: Bearer <khóa>', en: () => 'is missing: send Authorization: Bearer <key>' },
  'header.authorization.malformed': { vi: () => 'phải có dạng "Bearer <khóa>"', en: () => 'must be "Bearer <key>"' },
  'key.unit_required': { vi: () => 'bắt buộc với khóa của phòng, ban (department): khóa thay mặt một đơn vị', en: () => 'is required for a department key: the key acts for one unit' },
  'header.if_match.current': { vi: (p) => `phiên bản hiện tại là ${p.actual}`, en: (p) => `the current version is ${p.actual}` },
  'header.idempotency_key.reused': { vi: () => 'đã được dùng cho một yêu cầu khác (hoặc bởi khóa API khác); yêu cầu mới cần khóa mới', en: () => 'was used for a different request (or by another API key); use a new key for a new request' },

  // Field reasons: the query string and the path.
  'query.unknown': {
    vi: (p) => `không phải tham số của đường dẫn này${p.suggestion ? `; có phải ý bạn là ${p.suggestion}?` : ''} (nhận: ${list(p.allowed) || 'không có'})`,
    en: (p) => `is not a parameter of this route${p.suggestion ? `; did you mean ${p.suggestion}?` : ''} (it takes: ${list(p.allowed) || 'none'})`,
  },
  'query.repeated': { vi: () => 'chỉ được gửi một lần', en: () => 'may be given once only' },
  'query.position': { vi: () => 'phải là một vị trí trong sổ cái (số nguyên ≥ 0)', en: () => 'must be a ledger position (a whole number ≥ 0)' },
  'query.position_beyond_ledger': {
    vi: (p) => `vị trí ${p.position} chưa từng được cấp: sổ cái mới đến vị trí ${p.last}. Hãy dùng vị trí mà một lần ghi đã trả về (globalPosition)`,
    en: (p) => `position ${p.position} has never been assigned: the ledger has reached ${p.last}. Use a position a write returned (globalPosition)`,
  },
  'query.behind': { vi: () => 'vượt quá vị trí các bảng xem đã cập nhật', en: () => 'is beyond what the views have applied' },
  'query.series_order': { vi: (p) => `phải từ ngày ${day(p.from, 'vi')} trở đi (ngày cuối của chuỗi không được trước ngày đầu)`, en: (p) => `must be on or after ${day(p.from, 'en')} (a series cannot end before it starts)` },
  'query.series_too_long': { vi: (p) => `chuỗi quá dài: tối đa ${p.max} điểm; chọn bước dài hơn (tuần, tháng) hoặc khoảng ngắn hơn`, en: (p) => `the series is too long: at most ${p.max} points; choose a longer step (week, month) or a shorter range` },
  'query.boolean': { vi: () => 'phải là true hoặc false', en: () => 'must be true or false' },
  'query.range': { vi: (p) => `phải là số nguyên từ ${p.min} đến ${p.max}`, en: (p) => `must be a whole number from ${p.min} to ${p.max}` },
  'query.required': { vi: () => 'là tham số bắt buộc', en: () => 'is required' },
  'query.bound': {
    vi: () => 'phải là một vị trí trong sổ cái (số nguyên) hoặc một ngày/thời điểm ISO 8601',
    en: () => 'must be a ledger position (a whole number) or an ISO-8601 date or datetime',
  },
  'query.stream': { vi: () => 'phải có dạng loại:mã, ví dụ task:NV-01', en: () => 'must be kind:id, e.g. task:NV-01' },

  // Refusals by the domain (DomainError codes, with their params).
  'date.invalid': { vi: (p, lang) => `Ngày ${q(p.value)} không hợp lệ: ${dateProblem(p, lang)}.`, en: (p, lang) => `The date ${q(p.value)} is not valid: ${dateProblem(p, lang)}.` },
  'occurred_at.in_future': {
    vi: (p) => `Sự việc chưa thể xảy ra: occurredAt ${day(p.occurredAt, 'vi')} muộn hơn lúc ghi nhận (hôm nay là ${day(p.today, 'vi')}` +
      `${isCalendarDate(p.occurredAt) ? '' : `, cho phép lệch đồng hồ ${p.toleranceMinutes} phút`}). Hãy ghi ngày việc đã xảy ra; ngày dự kiến (hạn hoàn thành, thời hạn nhận hồ sơ) là dữ liệu trong data.`,
    en: (p) => `What happened cannot be in the future: occurredAt ${day(p.occurredAt, 'en')} is after the moment it is recorded (today is ${day(p.today, 'en')}` +
      `${isCalendarDate(p.occurredAt) ? '' : `, with ${p.toleranceMinutes} minutes allowed for clocks`}). Give the day it happened; planned dates (a due date, an application window) belong in data.`,
  },
  ...Object.fromEntries(RECORD_KINDS.flatMap((kind) => {
    const code = kind.replace('-', '_');
    return [[`${code}.not_found`, notFound], [`${code}.already_exists`, alreadyExists]];
  })),
  'unit.not_registered': {
    vi: (p) => `Đơn vị ${p.unitId} chưa được đăng ký: kiểm tra lại mã đơn vị, hoặc nhờ quản trị viên đăng ký đơn vị (UnitRegistered).`,
    en: (p) => `Unit ${p.unitId} is not registered: check the unit id, or ask an admin to register the unit (UnitRegistered).`,
  },
  'unit.not_active': {
    vi: (p) => `Đơn vị ${p.name ? `${p.name} (${p.unitId})` : p.unitId} ${p.status === 'merged' ? `đã sáp nhập${p.intoUnitId ? ` vào ${p.intoUnitId}` : ''}` : statusVi(p.status)}${p.since ? ` từ ngày ${day(p.since, 'vi')}` : ''}: hãy dùng đơn vị đang hoạt động${p.intoUnitId ? ` (${p.intoUnitId})` : ''}.`,
    en: (p) => `Unit ${p.name ? `${p.name} (${p.unitId})` : p.unitId} was ${p.status}${p.intoUnitId ? ` into ${p.intoUnitId}` : ''}${p.since ? ` on ${p.since}` : ''}: use an active unit${p.intoUnitId ? ` (${p.intoUnitId})` : ''}.`,
  },
  'unit.inactive': {
    vi: (p) => `Đơn vị ${p.name ? `${p.name} (${p.unitId})` : p.unitId} ${p.status === 'merged' ? `đã sáp nhập${p.intoUnitId ? ` vào ${p.intoUnitId}` : ''}` : statusVi(p.status)}${p.since ? ` từ ngày ${day(p.since, 'vi')}` : ''}: khóa của đơn vị này không còn được ghi${p.intoUnitId ? `; hãy dùng khóa của ${p.intoUnitId}, đơn vị được ghi bổ sung công việc trước đây` : ''}.`,
    en: (p) => `Unit ${p.name ? `${p.name} (${p.unitId})` : p.unitId} was ${p.status}${p.intoUnitId ? ` into ${p.intoUnitId}` : ''}${p.since ? ` on ${p.since}` : ''}: its keys record nothing more${p.intoUnitId ? `; use a key of ${p.intoUnitId}, which may record late entries of the earlier work` : ''}.`,
  },
  'unit.same_name': { vi: (p) => `Đơn vị ${p.unitId} đã mang tên ${p.name}.`, en: (p) => `Unit ${p.unitId} is already named ${p.name}.` },
  'unit.alias_exists': { vi: (p) => `Đơn vị ${p.unitId} đã có tên gọi ${p.alias}.`, en: (p) => `Unit ${p.unitId} is already known as ${p.alias}.` },
  'unit.merge_into_self': { vi: (p) => `Không thể sáp nhập đơn vị ${p.unitId} vào chính nó.`, en: (p) => `Unit ${p.unitId} cannot be merged into itself.` },
  'document.not_registered': {
    vi: (p) => `Văn bản ${p.documentId} chưa được đăng ký: hãy đăng ký văn bản (DocumentRegistered) trước khi viện dẫn.`,
    en: (p) => `Document ${p.documentId} is not registered: register it (DocumentRegistered) before citing it.`,
  },
  'document.period_invalid': { vi: (p) => `Kỳ báo cáo kết thúc (${day(p.to, 'vi')}) trước khi bắt đầu (${day(p.from, 'vi')}).`, en: (p) => `The reported period ends (${p.to}) before it starts (${p.from}).` },
  'document.id_mismatch': {
    vi: (p) => `Mã văn bản được tạo từ cơ quan ban hành, năm, số và ký hiệu: ${p.reference} ngày ${day(p.date, 'vi')} của ${p.issuerUnitId} có mã ${p.expected}, không phải ${p.id}. Hãy gửi tới /api/v1/documents/${p.expected}/events.`,
    en: (p) => `A document's id is derived from its issuer, year, number and symbol: ${p.reference} of ${p.date} by ${p.issuerUnitId} is ${p.expected}, not ${p.id}. Post to /api/v1/documents/${p.expected}/events.`,
  },
  'document.nothing_to_correct': { vi: () => 'Một lần đính chính phải sửa trích yếu (title) hoặc loại văn bản (documentType).', en: () => 'A correction changes the title or the document type.' },
  'document.number_invalid': {
    vi: (p) => `"${p.reference}" không phải số, ký hiệu văn bản; hãy viết như 39/QĐ-UBND, 01/2022/QĐ-UBND hoặc 09-NQ/TU.`,
    en: (p) => `"${p.reference}" is not a document number and symbol; write it as 39/QĐ-UBND, 01/2022/QĐ-UBND or 09-NQ/TU.`,
  },
  'document.year_mismatch': {
    vi: (p) => `${p.reference} mang năm ${p.year} nhưng đề ngày ${day(p.date, 'vi')}: một trong hai bị sai; hãy kiểm tra lại số, ký hiệu hoặc ngày ban hành.`,
    en: (p) => `${p.reference} carries the year ${p.year} but is dated ${p.date}; one of the two is wrong: check the number or the date.`,
  },
  'plan.year_mismatch': {
    vi: (p) => `Kế hoạch năm ${p.year} ban hành năm ${p.issuedIn}: kế hoạch được ban hành trong năm của nó hoặc năm trước đó.`,
    en: (p) => `A plan for ${p.year} issued in ${p.issuedIn}: plans are issued in their year or the one before.`,
  },
  'task.already_completed': {
    vi: (p) => `Nhiệm vụ ${p.taskId} đã hoàn thành ngày ${day(p.completedOn, 'vi')}: muốn ghi lại, hãy mở lại nhiệm vụ (TaskReopened) trước.`,
    en: (p) => `Task ${p.taskId} was completed on ${p.completedOn}; reopen it (TaskReopened) first.`,
  },
  'task.cancelled': { vi: (p) => `Nhiệm vụ ${p.taskId} đã bị hủy ngày ${day(p.cancelledOn, 'vi')}.`, en: (p) => `Task ${p.taskId} was cancelled on ${p.cancelledOn}.` },
  'task.plan_not_issued': {
    vi: (p) => `Kế hoạch ${p.planId} chưa được ban hành: ghi PlanIssued cho kế hoạch trước, hoặc kiểm tra lại mã kế hoạch.`,
    en: (p) => `Plan ${p.planId} has not been issued: record its PlanIssued first, or check the plan id.`,
  },
  'task.before_plan_issued': {
    vi: (p) => `${p.type} đề ngày ${day(p.day, 'vi')}, trước ngày kế hoạch ${p.planId} được ban hành (${day(p.issuedOn, 'vi')}).`,
    en: (p) => `${p.type} dated ${p.day} is before plan ${p.planId} was issued on ${p.issuedOn}.`,
  },
  'task.due_before_plan_issued': {
    vi: (p) => `Hạn ${day(p.dueOn, 'vi')} trước ngày kế hoạch ${p.planId} được ban hành (${day(p.issuedOn, 'vi')}).`,
    en: (p) => `Due ${p.dueOn}, before plan ${p.planId} was issued on ${p.issuedOn}.`,
  },
  'task.same_lead': { vi: (p) => `Nhiệm vụ ${p.taskId} đã do ${p.leadUnitId} chủ trì.`, en: (p) => `Task ${p.taskId} is already led by ${p.leadUnitId}.` },
  'task.not_completed': { vi: (p) => `Nhiệm vụ ${p.taskId} ${statusVi(p.status)}, chưa hoàn thành: không có gì để mở lại.`, en: (p) => `Task ${p.taskId} is ${p.status}, not completed: there is nothing to reopen.` },
  'inspection.already_concluded': {
    vi: (p) => `Đợt kiểm tra ${p.inspectionId} đã kết luận ngày ${day(p.concludedOn, 'vi')}: không ghi thêm.`,
    en: (p) => `Inspection ${p.inspectionId} was concluded on ${p.concludedOn}: nothing more is recorded on it.`,
  },
  'inspection.period_invalid': { vi: (p) => `Thời gian kiểm tra kết thúc (${day(p.periodTo, 'vi')}) trước khi bắt đầu (${day(p.periodFrom, 'vi')}).`, en: (p) => `The period ends (${p.periodTo}) before it starts (${p.periodFrom}).` },
  'inspection.visit_outside_period': {
    vi: (p) => `Lần kiểm tra ngày ${day(p.day, 'vi')} nằm ngoài thời gian của đợt kiểm tra (${day(p.periodFrom, 'vi')} – ${day(p.periodTo, 'vi')}).`,
    en: (p) => `A visit on ${p.day} is outside the inspection's period ${p.periodFrom} – ${p.periodTo}.`,
  },
  'inspection.unit_not_visited': {
    vi: (p) => `Đơn vị ${p.unitId} chưa được đợt kiểm tra ${p.inspectionId} đến kiểm tra: ghi UnitInspected trước khi ghi kết quả.`,
    en: (p) => `Unit ${p.unitId} has not been visited by inspection ${p.inspectionId}: record the visit (UnitInspected) first.`,
  },
  'legal_document.expired': { vi: (p) => `Văn bản ${p.id} đã hết hiệu lực ngày ${day(p.expiredOn, 'vi')}.`, en: (p) => `Legal document ${p.id} expired on ${p.expiredOn}.` },
  'legal_document.not_a_draft': {
    vi: (p) => `${p.type} chỉ áp dụng cho dự thảo; ${p.id} ${statusVi(p.status)}.`,
    en: (p) => `${p.type} applies to a draft only; ${p.id} is ${p.status}.`,
  },
  'legal_document.appraiser_mismatch': {
    vi: (p) => `Dự thảo ${p.id} do ${p.appraisalUnitId} thẩm định, không phải ${p.appraisingUnitId}.`,
    en: (p) => `Draft ${p.id} is appraised by ${p.appraisalUnitId}, not ${p.appraisingUnitId}.`,
  },
  'legal_document.not_issued': {
    vi: (p) => `${p.type} cần văn bản đã ban hành; ${p.id} ${statusVi(p.status)}.`,
    en: (p) => `${p.type} needs an issued document; ${p.id} is ${p.status}.`,
  },
  'recruitment.position_duplicate': { vi: (p) => `Vị trí ${p.positionId} được liệt kê hai lần.`, en: (p) => `Position ${p.positionId} is listed twice.` },
  'recruitment.closed': { vi: (p) => `Đợt tuyển dụng ${p.id} đã kết thúc ngày ${day(p.closedOn, 'vi')}.`, en: (p) => `Recruitment ${p.id} was closed on ${p.closedOn}.` },
  'recruitment.before_approval': {
    vi: (p) => `${p.type} ngày ${day(p.day, 'vi')} trước ngày kế hoạch tuyển dụng được phê duyệt (${day(p.approvedOn, 'vi')}).`,
    en: (p) => `${p.type} on ${p.day} is before the plan was approved on ${p.approvedOn}.`,
  },
  'recruitment.window_invalid': { vi: (p) => `Thời hạn nhận hồ sơ kết thúc (${day(p.to, 'vi')}) trước khi bắt đầu (${day(p.from, 'vi')}).`, en: (p) => `The window closes (${p.to}) before it opens (${p.from}).` },
  'recruitment.no_notice': { vi: () => 'Chỉ nhận phiếu đăng ký sau khi đã có thông báo tuyển dụng (NoticePublished).', en: () => 'Applications are received only after the notice is published (NoticePublished).' },
  'recruitment.position_unknown': {
    vi: (p) => `Vị trí ${p.positionId} không có trong kế hoạch đã duyệt; các vị trí: ${list(p.positions)}.`,
    en: (p) => `Position ${p.positionId} is not in the approved plan; positions: ${list(p.positions)}.`,
  },
  'recruitment.outside_window': {
    vi: (p) => `Nhận ngày ${day(p.day, 'vi')}, ngoài thời hạn nhận phiếu ${day(p.from, 'vi')} – ${day(p.to, 'vi')}.`,
    en: (p) => `Received on ${p.day}, outside the window ${p.from} – ${p.to}.`,
  },
  'recruitment.application_exists': { vi: (p) => `Phiếu ${p.applicationId} đã được tiếp nhận.`, en: (p) => `Application ${p.applicationId} was already received.` },
  'recruitment.application_unknown': { vi: (p) => `Không có phiếu đăng ký ${p.applicationId}.`, en: (p) => `No application ${p.applicationId} was received.` },
  'recruitment.application_not_active': { vi: (p) => `Phiếu ${p.applicationId} ${statusVi(p.status)}.`, en: (p) => `Application ${p.applicationId} is ${p.status}.` },
  'recruitment.application_not_received': { vi: (p) => `Phiếu ${p.applicationId} đã rút.`, en: (p) => `Application ${p.applicationId} was withdrawn.` },
  'recruitment.eligibility_already_decided': { vi: (p) => `Phiếu ${p.applicationId} đã được xét (${statusVi(p.status)}).`, en: (p) => `Eligibility of ${p.applicationId} is already decided (${p.status}).` },
  'recruitment.reason_required': { vi: () => 'Kết luận không đủ điều kiện phải nêu lý do (data.reason).', en: () => 'An ineligibility decision states its reason (data.reason).' },
  'recruitment.no_council': { vi: () => 'Chỉ phê duyệt kết quả sau khi thành lập hội đồng tuyển dụng (CouncilFormed).', en: () => 'Results are approved after the recruitment council is formed (CouncilFormed).' },
  'recruitment.result_already_approved': { vi: () => 'Kết quả của đợt tuyển dụng này đã được phê duyệt.', en: () => 'The result of this recruitment is already approved.' },
  'recruitment.not_eligible': { vi: (p) => `Phiếu ${p.applicationId} không phải phiếu đủ điều kiện còn hiệu lực (${statusVi(p.status)}).`, en: (p) => `Application ${p.applicationId} is not an eligible, active application (${p.status}).` },
  'recruitment.not_passed': { vi: (p) => `Phiếu ${p.applicationId} ${statusVi(p.status)}, chưa trúng tuyển.`, en: (p) => `Application ${p.applicationId} is ${p.status}, not passed.` },
  'recruitment.quota_exceeded': { vi: (p) => `Vị trí ${p.positionId} đã đủ ${p.quota} chỉ tiêu.`, en: (p) => `Position ${p.positionId} has its ${p.quota} appointment(s) already.` },
  'ratio.invalid': {
    vi: (p) => `Tỉ lệ ${p.numerator}/${p.denominator} phải là số đếm: tử số ≥ 0, mẫu số ≥ 1.`,
    en: (p) => `The share ${p.numerator}/${p.denominator} needs whole counts, numerator ≥ 0 and denominator ≥ 1.`,
  },
  'ratio.over_total': {
    vi: (p) => `${p.numerator}/${p.denominator} nhiều hơn tổng số (trên 100%): tử số không được lớn hơn mẫu số.`,
    en: (p) => `${p.numerator}/${p.denominator} counts more than the whole (over 100%): the numerator cannot exceed the denominator.`,
  },
};

/** Renders a message; a key with no entry shows itself and its parameters (never an exception). */
export const render = (key: string, params: Params, lang: Lang): string => {
  const entry = MESSAGES[key];
  return entry ? entry[lang](params, lang) : `${key} ${JSON.stringify(params)}`;
};

/** The reader's language: English when Accept-Language prefers it, Vietnamese otherwise. */
export const languageOf = (acceptsLanguages: (...langs: string[]) => string | false): Lang =>
  acceptsLanguages('vi', 'en') === 'en' ? 'en' : 'vi';
