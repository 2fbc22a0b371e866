import { inspectionLogView } from './inspection-log/inspection-log.view';
import { legalRegisterView } from './legal-register/legal-register.view';
import { planProgressView } from './plan-progress/plan-progress.view';
import { recruitmentPipelineView } from './recruitment-pipeline/recruitment-pipeline.view';
import { registryView } from './registry/registry.view';
import type { View } from './view';

/** Every view the projector keeps, each from its own folder. */
export const VIEWS = [planProgressView, inspectionLogView, recruitmentPipelineView, legalRegisterView, registryView] as const satisfies readonly View[];
export type ViewName = (typeof VIEWS)[number]['name'];
export const VIEW_NAMES = VIEWS.map((v) => v.name) as ViewName[];
export const viewNamed = (name: string): View | undefined => VIEWS.find((v) => v.name === name);
