import type { Route } from '../http/route';

/** The music analysis routes (/api/analyze/*, /api/analysis/*), mounted with the others by routes/index.ts. */
export const analysisRoutes: readonly Route[] = [];
