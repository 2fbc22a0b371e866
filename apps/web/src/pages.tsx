import type { ComponentType } from 'react';
import { Activity } from './pages/activity';
import { AdminKeys, AdminUnits, AdminViews } from './pages/admin';
import { Changes } from './pages/changes';
import { DataQuality } from './pages/data-quality';
import { History } from './pages/history';
import { Inspections } from './pages/inspections';
import { Integrity } from './pages/integrity';
import { Legal } from './pages/legal';
import { MyUnit } from './pages/my-unit';
import { Overview } from './pages/overview';
import { Recruitment } from './pages/recruitment';
import { Tasks } from './pages/tasks';

export type Role = 'manager' | 'inspector' | 'department' | 'admin';
export type Page = { path: string; title: string; roles: Role[]; component: ComponentType };

const READERS: Role[] = ['manager', 'inspector', 'admin'];
const AUDIT: Role[] = ['inspector', 'admin'];

/**
 * Every page and the roles that see it, in the order of the menu. A department sees its own work and
 * no audit pages; managers and inspectors see no forms; the API refuses the rest anyway.
 */
export const PAGES: Page[] = [
  { path: '/', title: 'Tổng quan', roles: READERS, component: Overview },
  { path: '/nhiem-vu', title: 'Nhiệm vụ', roles: [...READERS, 'department'], component: Tasks },
  { path: '/kiem-tra', title: 'Kiểm tra', roles: READERS, component: Inspections },
  { path: '/tuyen-dung', title: 'Tuyển dụng', roles: READERS, component: Recruitment },
  { path: '/van-ban', title: 'Văn bản QPPL', roles: READERS, component: Legal },
  { path: '/chat-luong', title: 'Chất lượng dữ liệu', roles: READERS, component: DataQuality },
  { path: '/lich-su', title: 'Lịch sử hồ sơ', roles: AUDIT, component: History },
  { path: '/thay-doi', title: 'Thay đổi giữa hai thời điểm', roles: AUDIT, component: Changes },
  { path: '/toan-ven', title: 'Toàn vẹn', roles: AUDIT, component: Integrity },
  { path: '/nhat-ky', title: 'Nhật ký', roles: AUDIT, component: Activity },
  { path: '/don-vi', title: 'Việc của đơn vị', roles: ['department'], component: MyUnit },
  { path: '/quan-tri/don-vi', title: 'Đơn vị', roles: ['admin'], component: AdminUnits },
  { path: '/quan-tri/khoa', title: 'Khóa truy cập', roles: ['admin'], component: AdminKeys },
  { path: '/quan-tri/che-do-xem', title: 'Chế độ xem', roles: ['admin'], component: AdminViews },
];

/** The pages a role sees (its first is where it lands). */
export const pagesFor = (role: string) => {
  const pages = PAGES.filter((p) => p.roles.includes(role as Role));
  return role === 'department' ? [...pages.filter((p) => p.path === '/don-vi'), ...pages.filter((p) => p.path !== '/don-vi')] : pages;
};

/** The page at a path (a task's page at /nhiem-vu/<id> belongs to /nhiem-vu). */
export const pageAt = (path: string, role: string) => {
  const pages = pagesFor(role);
  return pages.find((p) => p.path === path) ?? pages.find((p) => p.path !== '/' && path.startsWith(`${p.path}/`));
};
