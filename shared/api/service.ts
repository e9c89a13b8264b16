import { z } from 'zod';
import { Health, ServiceInfo } from '../schemas/service';
import { ApproveExtensionBody, ExtensionPairingState } from '../schemas/pairing';
import { defineEndpoint } from './define';
import { JSON_BODY_ERRORS } from './errors';

/** The OpenAPI document is open-ended JSON: its shape is the OpenAPI 3.1 specification's, not ours. */
export const OpenApiDocument = z.record(z.string(), z.unknown());

export const serviceEndpoints = [
  defineEndpoint({
    name: 'service.info',
    method: 'GET',
    path: '/',
    summary: 'What this server is, and where its reference and socket are',
    tag: 'service',
    responses: { 200: ServiceInfo },
    errors: [],
  }),
  defineEndpoint({
    name: 'service.health',
    method: 'GET',
    path: '/health',
    summary: 'Whether Codette is healthy, and why not when it is degraded',
    tag: 'service',
    responses: { 200: Health },
    errors: [],
  }),
  defineEndpoint({
    name: 'service.openapi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'The OpenAPI 3.1 description of this API, generated from its contract (shared/api)',
    tag: 'service',
    responses: { 200: OpenApiDocument },
    errors: [],
  }),
  defineEndpoint({
    name: 'service.docs',
    method: 'GET',
    path: '/docs',
    summary: 'A readable API reference (HTML), served locally',
    tag: 'service',
    responses: { 200: z.string() },
    answer: 'html',
    errors: [],
  }),
  defineEndpoint({
    name: 'service.demo',
    method: 'GET',
    path: '/demo',
    summary: 'A small web DAW to try the side panel, the transport and the meters on, with no account anywhere',
    tag: 'service',
    responses: { 200: z.string() },
    answer: 'html',
    errors: [],
  }),
  defineEndpoint({
    name: 'extensions.list',
    method: 'GET',
    path: '/codette/extensions',
    summary:
      'The extensions this server talks to (paired) and those it refused lately, when CODETTE_EXTENSION_IDS is unset',
    description: 'Only for the paired extension and local tools (no Origin): a web page gets 403.',
    tag: 'service',
    responses: { 200: ExtensionPairingState },
    errors: ['conflict', 'forbidden_origin'],
  }),
  defineEndpoint({
    name: 'extensions.approve',
    method: 'POST',
    path: '/codette/extensions',
    summary: 'Approve another extension ({id}: the host of its chrome-extension:// or moz-extension:// origin)',
    description:
      'Only from the paired extension or a local tool (no Origin): a web page or an unpaired extension gets 403.',
    tag: 'service',
    body: { json: ApproveExtensionBody },
    responses: { 200: ExtensionPairingState },
    errors: [...JSON_BODY_ERRORS, 'conflict', 'forbidden_origin'],
  }),
] as const;
