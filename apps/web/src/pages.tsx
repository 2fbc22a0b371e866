import type { ComponentType } from 'react';
import { Overview } from './pages/overview';

export type Role = 'manager' | 'inspector' | 'department' | 'admin';
export type Page = { path: string; title: string; roles: Role[]; component: ComponentType; group: string };

const READERS: Role[] = ['manager', 'inspector', 'admin'];

/** Every page, the roles that see it (the API refuses the rest anyway), in the order of the menu. */
export const PAGES: Page[] = [
  { path: '/', title: 'Tổng quan', roles: READERS, component: Overview, group: 'Lãnh đạo' },
];

export const pagesFor = (role: string) => PAGES.filter((p) => p.roles.includes(role as Role));

/** The page at a path (a task's page at /nhiem-vu/<id> belongs to /nhiem-vu). */
export const pageAt = (path: string, role: string) => {
  const pages = pagesFor(role);
  return pages.find((p) => p.path === path) ?? pages.find((p) => p.path !== '/' && path.startsWith(`${p.path}/`));
};
