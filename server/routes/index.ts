import type { Route } from '../http/route';
import root from './index.get';
import health from './health.get';
import openapi from './openapi.json.get';
import docs from './docs.get';
import demo from './demo.get';
import diagnosticsStatus from './api/diagnostics/status.get';
import diagnosticsCache from './api/diagnostics/cache.get';
import diagnosticsEndpoints from './api/diagnostics/endpoints.get';
import diagnosticsDependencies from './api/diagnostics/dependencies.get';
import diagnosticsPerformance from './api/diagnostics/performance.get';
import diagnosticsCredentials from './api/diagnostics/credentials.get';
import diagnosticsDatabase from './api/diagnostics/database.get';
import diagnosticsRls from './api/diagnostics/rls-policies.get';
import cacheStats from './api/cache-stats.get';
import cacheClear from './api/cache-clear.post';
import codetteStatus from './codette/status.get';
import codetteTransport from './codette/transport.post';
import transportStatus from './transport/status.get';
import transportAction from './transport/[action].post';
import sessions from './codette/sessions.get';
import sessionMessages from './codette/sessions/[id]/messages.get';
import sessionDelete from './codette/sessions/[id].delete';
import feedback from './codette/feedback.post';
import filesUpload from './codette/files.post';
import filesList from './codette/files.get';
import exportData from './codette/export.get';
import importData from './codette/import.post';
import chat from './codette/chat.post';
import extensionsList from './codette/extensions.get';
import extensionsApprove from './codette/extensions.post';
import llmStatus from './codette/llm.get';
import llmChoose from './codette/llm.post';
import suggestRoute from './codette/suggest.post';
import analyzeAudio from './api/analyze/audio.post';
import analyzeSession from './api/analyze/session.post';
import analyzeMixing from './api/analyze/mixing.post';
import analyzeRouting from './api/analyze/routing.post';
import analyzeMastering from './api/analyze/mastering.post';
import analyzeCreative from './api/analyze/creative.post';
import analyzeGainStaging from './api/analyze/gain-staging.post';
import analyzeStream from './api/analyze/stream.post';
import delaySync from './api/analysis/delay-sync.get';
import earTraining from './api/analysis/ear-training.get';
import productionChecklist from './api/analysis/production-checklist.get';
import instrumentInfo from './api/analysis/instrument-info.get';
import detectGenre from './api/analysis/detect-genre.post';
import accessRequest from './api/access.post';
import accessList from './api/access.get';
import accessDecide from './api/access/[origin].put';
import accessRevoke from './api/access/[origin].delete';
import exampleWebDaw from './examples/web-daw.get';

/**
 * Every REST route, one per file under this folder. Each carries its contract entry (shared/api), which holds its
 * method and path; server/test/contract.test.ts checks that this list, the files and the contract agree.
 */
export const routes: readonly Route[] = [
  root,
  health,
  openapi,
  docs,
  demo,
  diagnosticsStatus,
  diagnosticsCache,
  diagnosticsEndpoints,
  diagnosticsDependencies,
  diagnosticsPerformance,
  diagnosticsCredentials,
  diagnosticsDatabase,
  diagnosticsRls,
  cacheStats,
  cacheClear,
  codetteStatus,
  codetteTransport,
  transportStatus,
  transportAction,
  sessions,
  sessionMessages,
  sessionDelete,
  feedback,
  filesUpload,
  filesList,
  exportData,
  importData,
  extensionsList,
  extensionsApprove,
  chat,
  llmStatus,
  llmChoose,
  suggestRoute,
  analyzeAudio,
  analyzeSession,
  analyzeMixing,
  analyzeRouting,
  analyzeMastering,
  analyzeCreative,
  analyzeGainStaging,
  analyzeStream,
  delaySync,
  earTraining,
  productionChecklist,
  instrumentInfo,
  detectGenre,
  accessRequest,
  accessList,
  accessDecide,
  accessRevoke,
  exampleWebDaw,
];
