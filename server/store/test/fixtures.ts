import { fileURLToPath } from 'node:url';
import { loadKnowledgeDir } from '../knowledge-source';

export const FIXTURE_KNOWLEDGE_DIR = fileURLToPath(new URL('./fixtures/knowledge', import.meta.url));
export const fixtureKnowledge = () => loadKnowledgeDir(FIXTURE_KNOWLEDGE_DIR);
export const CHILD_SCRIPT = fileURLToPath(new URL('./fixtures/store-child.ts', import.meta.url));
