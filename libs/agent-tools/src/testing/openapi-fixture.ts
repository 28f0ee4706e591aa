/**
 * A representative slice of the 24observe OpenAPI 3.1 document, shaped the way
 * the controllers describe themselves: base `/api/v1`, a bearer scheme named
 * `token`, the scope under `security` and in `x-required-scope`, guardrail
 * headers on mutations, problem+json errors. Converter and runtime tests run
 * against it until the generated document exists.
 */
const problemResponse = (description: string) => ({
  description,
  content: {
    'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
  },
});

const guardrailHeaders = [
  { $ref: '#/components/parameters/IdempotencyKey' },
  { $ref: '#/components/parameters/AgentId' },
  { $ref: '#/components/parameters/ConversationId' },
];

const readHeaders = [
  { $ref: '#/components/parameters/AgentId' },
  { $ref: '#/components/parameters/ConversationId' },
];

const json = (ref: string) => ({ 'application/json': { schema: { $ref: ref } } });

const mutationErrors = {
  '400': problemResponse('Invalid body, or Idempotency-Key missing for a scoped token'),
  '403': problemResponse('Scope missing, or the route needs a full token'),
  '409': problemResponse('A request with this Idempotency-Key is still in flight'),
  '422': problemResponse('Idempotency-Key reused with another body'),
  '429': problemResponse('Daily mutation cap reached'),
};

const scoped = (scope: string) => ({
  security: [{ token: [scope] }],
  'x-required-scope': scope,
});

export const openApiFixture = {
  openapi: '3.1.0',
  info: { title: '24observe API', version: '1.0.0' },
  servers: [{ url: 'https://observe.example.com' }],
  security: [{ token: [] }],
  paths: {
    '/api/v1/incidents': {
      get: {
        operationId: 'listIncidents',
        summary: 'List incidents, newest first',
        tags: ['incidents'],
        ...scoped('incidents:read'),
        parameters: [
          { $ref: '#/components/parameters/Limit' },
          { $ref: '#/components/parameters/Cursor' },
          {
            name: 'status',
            in: 'query',
            required: false,
            description: 'Only incidents in this status',
            schema: { $ref: '#/components/schemas/IncidentStatus' },
          },
          {
            name: 'severity',
            in: 'query',
            required: false,
            description: 'Only incidents of these severities',
            style: 'form',
            explode: true,
            schema: { type: 'array', items: { $ref: '#/components/schemas/Severity' } },
          },
          {
            name: 'serviceId',
            in: 'query',
            schema: { type: 'string', format: 'uuid' },
          },
          ...readHeaders,
        ],
        responses: {
          '200': {
            description: 'A page of incidents',
            content: json('#/components/schemas/IncidentPage'),
          },
          '403': problemResponse('Scope missing'),
        },
      },
      post: {
        operationId: 'openIncident',
        summary: 'Open an incident',
        description: 'Opens an incident on a service and notifies its subscribers.',
        tags: ['incidents'],
        ...scoped('incidents:write'),
        parameters: guardrailHeaders,
        requestBody: { required: true, content: json('#/components/schemas/OpenIncidentRequest') },
        responses: {
          '201': {
            description: 'Opened',
            content: json('#/components/schemas/IncidentMutationResult'),
          },
          ...mutationErrors,
        },
      },
    },
    '/api/v1/incidents/{id}': {
      parameters: [{ $ref: '#/components/parameters/IncidentId' }],
      get: {
        operationId: 'getIncident',
        summary: 'Get one incident with its timeline',
        tags: ['incidents'],
        ...scoped('incidents:read'),
        responses: {
          '200': {
            description: 'The incident',
            content: json('#/components/schemas/IncidentDetail'),
          },
          '404': problemResponse('No such incident'),
        },
      },
      patch: {
        operationId: 'updateIncident',
        summary: 'Change the title, severity or assignee of an incident',
        tags: ['incidents'],
        ...scoped('incidents:write'),
        parameters: guardrailHeaders,
        requestBody: {
          required: true,
          content: json('#/components/schemas/UpdateIncidentRequest'),
        },
        responses: {
          '200': {
            description: 'Updated',
            content: json('#/components/schemas/IncidentMutationResult'),
          },
          ...mutationErrors,
        },
      },
    },
    '/api/v1/incidents/{id}/acknowledge': {
      post: {
        operationId: 'acknowledgeIncident',
        summary: 'Acknowledge an incident',
        tags: ['incidents'],
        ...scoped('incidents:write'),
        parameters: [{ $ref: '#/components/parameters/IncidentId' }, ...guardrailHeaders],
        requestBody: {
          required: false,
          content: json('#/components/schemas/AcknowledgeIncidentRequest'),
        },
        responses: {
          '200': {
            description: 'Acknowledged',
            content: json('#/components/schemas/IncidentMutationResult'),
          },
          ...mutationErrors,
        },
      },
    },
    '/api/v1/incidents/{id}/resolve': {
      post: {
        operationId: 'resolveIncident',
        summary: 'Resolve an incident',
        tags: ['incidents'],
        ...scoped('incidents:write'),
        'x-side-effect': 'resolves the incident and closes its open alerts',
        parameters: [{ $ref: '#/components/parameters/IncidentId' }, ...guardrailHeaders],
        requestBody: {
          required: true,
          content: json('#/components/schemas/ResolveIncidentRequest'),
        },
        responses: {
          '200': {
            description: 'Resolved',
            content: json('#/components/schemas/IncidentMutationResult'),
          },
          ...mutationErrors,
        },
      },
    },
    '/api/v1/incidents/{id}/updates': {
      post: {
        operationId: 'postIncidentUpdate',
        summary: 'Post a status update on an incident',
        tags: ['incidents'],
        ...scoped('incidents:write'),
        parameters: [{ $ref: '#/components/parameters/IncidentId' }, ...guardrailHeaders],
        requestBody: {
          required: true,
          content: json('#/components/schemas/IncidentUpdateRequest'),
        },
        responses: {
          '201': {
            description: 'Posted',
            content: json('#/components/schemas/IncidentMutationResult'),
          },
          ...mutationErrors,
        },
      },
    },
    '/api/v1/alerts': {
      post: {
        operationId: 'ingestAlerts',
        summary: 'Ingest a batch of alerts',
        description: 'Alerts are deduplicated by fingerprint and may open or update incidents.',
        tags: ['alerts'],
        ...scoped('alerts:write'),
        parameters: guardrailHeaders,
        requestBody: { required: true, content: json('#/components/schemas/IngestAlertsRequest') },
        responses: {
          '202': {
            description: 'Accepted',
            content: json('#/components/schemas/IngestAlertsResult'),
          },
          ...mutationErrors,
        },
      },
    },
    '/api/v1/services/{serviceId}/blast-radius': {
      get: {
        operationId: 'getBlastRadius',
        summary: 'Services affected when this service fails',
        tags: ['context-graph'],
        ...scoped('graph:read'),
        parameters: [
          {
            name: 'serviceId',
            in: 'path',
            required: true,
            schema: { type: 'string', format: 'uuid' },
          },
          {
            name: 'depth',
            in: 'query',
            required: true,
            description: 'How many dependency hops to follow',
            schema: { type: 'integer', minimum: 1, maximum: 5 },
          },
          {
            name: 'includeDegraded',
            in: 'query',
            schema: { type: 'boolean', default: false },
          },
        ],
        responses: {
          '200': {
            description: 'The blast radius',
            content: json('#/components/schemas/BlastRadius'),
          },
          '404': problemResponse('No such service'),
        },
      },
    },
    '/api/v1/subscriptions': {
      post: {
        operationId: 'createSubscription',
        summary: 'Subscribe a webhook endpoint to incident events',
        tags: ['subscriptions'],
        ...scoped('subscriptions:write'),
        parameters: guardrailHeaders,
        requestBody: {
          required: true,
          content: json('#/components/schemas/CreateSubscriptionRequest'),
        },
        responses: {
          '201': { description: 'Created', content: json('#/components/schemas/Subscription') },
          ...mutationErrors,
        },
      },
    },
    '/api/v1/subscriptions/{subscriptionId}': {
      delete: {
        operationId: 'deleteSubscription',
        summary: 'Delete a webhook subscription',
        tags: ['subscriptions'],
        ...scoped('subscriptions:write'),
        'x-full-token-only': true,
        parameters: [
          {
            name: 'subscriptionId',
            in: 'path',
            required: true,
            schema: { type: 'string', format: 'uuid' },
          },
          ...guardrailHeaders,
        ],
        responses: {
          '204': { description: 'Deleted' },
          ...mutationErrors,
        },
      },
    },
    '/api/v1/detections/rules/{ruleKey}/disable': {
      post: {
        operationId: 'disableDetectionRule',
        summary: 'Disable a detection rule',
        tags: ['detections'],
        ...scoped('detections:write'),
        'x-full-token-only': true,
        'x-destructive': true,
        parameters: [
          {
            name: 'ruleKey',
            in: 'path',
            required: true,
            description: 'The rule key as shown in the rule list',
            schema: { type: 'string', minLength: 1, maxLength: 80 },
          },
          ...guardrailHeaders,
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['reason'],
                properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Disabled', content: json('#/components/schemas/MutationEvents') },
          ...mutationErrors,
        },
      },
    },
    '/api/v1/audit/events': {
      get: {
        operationId: 'listAuditEvents',
        summary: 'Read the audit trail',
        tags: ['audit'],
        ...scoped('audit:read'),
        parameters: [
          { $ref: '#/components/parameters/Limit' },
          { $ref: '#/components/parameters/Cursor' },
          {
            name: 'since',
            in: 'query',
            schema: { type: 'string', format: 'date-time' },
          },
          {
            name: 'agentId',
            in: 'query',
            description: 'Only events recorded for this agent',
            schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
          },
          ...readHeaders,
        ],
        responses: {
          '200': {
            description: 'A page of events',
            content: json('#/components/schemas/AuditEventPage'),
          },
          '403': problemResponse('Scope missing'),
        },
      },
    },
    '/api/v1/health': {
      get: {
        operationId: 'getHealth',
        summary: 'Liveness of the API',
        security: [],
        'x-agent-tool': false,
        responses: { '200': { description: 'Alive' } },
      },
    },
  },
  components: {
    securitySchemes: {
      token: { type: 'http', scheme: 'bearer', description: 'An obs_ API token' },
    },
    parameters: {
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Required for scoped tokens; replays the stored answer on retry',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      },
      AgentId: {
        name: 'X-Agent-Id',
        in: 'header',
        required: false,
        schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
      },
      ConversationId: {
        name: 'X-Conversation-Id',
        in: 'header',
        required: false,
        schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
      },
      IncidentId: {
        name: 'id',
        in: 'path',
        required: true,
        description: 'Incident id',
        schema: { type: 'string', format: 'uuid' },
      },
      Limit: {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'Page size',
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
      },
      Cursor: {
        name: 'cursor',
        in: 'query',
        required: false,
        description: 'The nextCursor of the previous page',
        schema: { type: 'string', maxLength: 512 },
      },
    },
    schemas: {
      Severity: {
        type: 'string',
        enum: ['critical', 'high', 'medium', 'low', 'info'],
        description: 'How bad it is',
      },
      IncidentStatus: { type: 'string', enum: ['triggered', 'acknowledged', 'resolved'] },
      ServiceRef: {
        type: 'object',
        required: ['id', 'name'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
        },
      },
      Incident: {
        type: 'object',
        required: ['id', 'title', 'status', 'severity', 'service', 'openedAt', 'sequence'],
        properties: {
          id: { type: 'string', format: 'uuid', readOnly: true },
          title: { type: 'string' },
          status: { $ref: '#/components/schemas/IncidentStatus' },
          severity: { $ref: '#/components/schemas/Severity' },
          service: { $ref: '#/components/schemas/ServiceRef' },
          assigneeId: { type: ['string', 'null'], format: 'uuid' },
          openedAt: { type: 'string', format: 'date-time' },
          acknowledgedAt: { type: ['string', 'null'], format: 'date-time' },
          resolvedAt: { type: ['string', 'null'], format: 'date-time' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          sequence: { type: 'integer', minimum: 0 },
        },
      },
      TimelineEntry: {
        type: 'object',
        required: ['type', 'occurredAt'],
        properties: {
          type: { type: 'string' },
          occurredAt: { type: 'string', format: 'date-time' },
          message: { type: 'string' },
        },
      },
      IncidentDetail: {
        allOf: [
          { $ref: '#/components/schemas/Incident' },
          {
            type: 'object',
            required: ['timeline'],
            properties: {
              timeline: { type: 'array', items: { $ref: '#/components/schemas/TimelineEntry' } },
            },
          },
        ],
      },
      IncidentPage: {
        type: 'object',
        required: ['data', 'nextCursor'],
        properties: {
          data: { type: 'array', items: { $ref: '#/components/schemas/Incident' } },
          nextCursor: { type: ['string', 'null'] },
        },
      },
      ProducedEvent: {
        type: 'object',
        required: ['eventId', 'type', 'position'],
        properties: {
          eventId: { type: 'string', format: 'uuid' },
          type: { type: 'string', examples: ['IncidentAcknowledged'] },
          position: { type: 'string' },
        },
      },
      MutationEvents: {
        type: 'object',
        required: ['events'],
        properties: {
          events: { type: 'array', items: { $ref: '#/components/schemas/ProducedEvent' } },
        },
      },
      IncidentMutationResult: {
        type: 'object',
        required: ['incident', 'events'],
        properties: {
          incident: { $ref: '#/components/schemas/Incident' },
          events: { type: 'array', items: { $ref: '#/components/schemas/ProducedEvent' } },
        },
      },
      OpenIncidentRequest: {
        type: 'object',
        required: ['title', 'severity', 'serviceId'],
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 200, example: 'Checkout latency' },
          severity: {
            allOf: [{ $ref: '#/components/schemas/Severity' }],
            description: 'Severity chosen by the agent',
          },
          serviceId: { type: 'string', format: 'uuid' },
          description: { type: 'string', maxLength: 5000 },
          dedupKey: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
          labels: {
            type: 'object',
            description: 'Labels to filter and route on',
            additionalProperties: { type: 'string', maxLength: 200 },
          },
          details: {
            type: 'object',
            description: 'Anything else worth keeping with the incident',
            additionalProperties: true,
          },
        },
      },
      AcknowledgeIncidentRequest: {
        type: 'object',
        properties: {
          note: { type: 'string', maxLength: 2000, description: 'Why, or what happens next' },
        },
      },
      FollowUp: {
        type: 'object',
        required: ['title'],
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 200 },
          ownerId: { type: 'string', format: 'uuid' },
          dueAt: { type: 'string', format: 'date-time' },
        },
      },
      ResolveIncidentRequest: {
        type: 'object',
        required: ['resolution'],
        properties: {
          resolution: { type: 'string', minLength: 1, maxLength: 2000 },
          rootCause: { type: ['string', 'null'], maxLength: 2000 },
          followUps: {
            type: 'array',
            maxItems: 20,
            items: { $ref: '#/components/schemas/FollowUp' },
          },
        },
      },
      Attachment: {
        type: 'object',
        required: ['url'],
        properties: {
          url: { type: 'string', format: 'uri' },
          label: { type: 'string', maxLength: 100 },
        },
      },
      IncidentUpdateRequest: {
        type: 'object',
        required: ['message'],
        properties: {
          message: { type: 'string', minLength: 1, maxLength: 4000 },
          visibility: { type: 'string', enum: ['internal', 'public'], default: 'internal' },
          attachments: { type: 'array', items: { $ref: '#/components/schemas/Attachment' } },
        },
      },
      UpdateIncidentRequest: {
        type: 'object',
        minProperties: 1,
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 200 },
          severity: { $ref: '#/components/schemas/Severity' },
          assigneeId: {
            type: ['string', 'null'],
            format: 'uuid',
            description: 'Who owns it; null unassigns',
          },
        },
      },
      ServiceById: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: { id: { type: 'string', format: 'uuid' } },
      },
      ServiceByName: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
      },
      Alert: {
        type: 'object',
        required: ['source', 'fingerprint', 'status', 'severity', 'summary', 'occurredAt'],
        properties: {
          source: { type: 'string', minLength: 1, maxLength: 100 },
          fingerprint: { type: 'string', minLength: 1, maxLength: 200 },
          status: { type: 'string', enum: ['firing', 'resolved'] },
          severity: { $ref: '#/components/schemas/Severity' },
          summary: { type: 'string', minLength: 1, maxLength: 500 },
          occurredAt: { type: 'string', format: 'date-time' },
          value: { type: 'number', minimum: -1e9, maximum: 1e9 },
          service: {
            oneOf: [
              { $ref: '#/components/schemas/ServiceById' },
              { $ref: '#/components/schemas/ServiceByName' },
            ],
          },
          details: { type: 'object', additionalProperties: true },
        },
      },
      IngestAlertsRequest: {
        type: 'object',
        required: ['alerts'],
        properties: {
          alerts: {
            type: 'array',
            minItems: 1,
            maxItems: 100,
            items: { $ref: '#/components/schemas/Alert' },
          },
        },
      },
      IngestAlertsResult: {
        type: 'object',
        required: ['accepted', 'events'],
        properties: {
          accepted: { type: 'integer' },
          incidentIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
          events: { type: 'array', items: { $ref: '#/components/schemas/ProducedEvent' } },
        },
      },
      BlastRadiusNode: {
        type: 'object',
        required: ['service', 'dependents'],
        properties: {
          service: { $ref: '#/components/schemas/ServiceRef' },
          dependents: { type: 'array', items: { $ref: '#/components/schemas/BlastRadiusNode' } },
        },
      },
      BlastRadius: {
        type: 'object',
        required: ['root', 'affectedCount'],
        properties: {
          root: { $ref: '#/components/schemas/BlastRadiusNode' },
          affectedCount: { type: 'integer' },
        },
      },
      SubscriptionFilter: {
        type: 'object',
        properties: {
          severities: { type: 'array', items: { $ref: '#/components/schemas/Severity' } },
          serviceIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
        },
      },
      CreateSubscriptionRequest: {
        type: 'object',
        required: ['url', 'eventTypes'],
        properties: {
          url: { type: 'string', format: 'uri', description: 'A public https endpoint' },
          eventTypes: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: {
              type: 'string',
              enum: ['incident.opened', 'incident.acknowledged', 'incident.resolved'],
            },
          },
          description: { type: ['string', 'null'], maxLength: 500 },
          filter: { $ref: '#/components/schemas/SubscriptionFilter' },
        },
      },
      Subscription: {
        type: 'object',
        required: ['id', 'url', 'eventTypes', 'createdAt'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          url: { type: 'string', format: 'uri' },
          eventTypes: { type: 'array', items: { type: 'string' } },
          secret: { type: 'string', writeOnly: true },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      AuditEvent: {
        type: 'object',
        required: ['eventId', 'type', 'occurredAt', 'actor', 'data'],
        properties: {
          eventId: { type: 'string', format: 'uuid' },
          type: { type: 'string' },
          occurredAt: { type: 'string', format: 'date-time' },
          actor: {
            type: 'object',
            required: ['kind'],
            properties: {
              kind: { type: 'string', enum: ['agent', 'user', 'system'] },
              tokenId: { type: ['string', 'null'] },
              name: { type: 'string' },
            },
          },
          agentId: { type: ['string', 'null'] },
          conversationId: { type: ['string', 'null'] },
          data: { type: 'object', additionalProperties: true },
        },
      },
      AuditEventPage: {
        type: 'object',
        required: ['data', 'nextCursor'],
        properties: {
          data: { type: 'array', items: { $ref: '#/components/schemas/AuditEvent' } },
          nextCursor: { type: ['string', 'null'] },
        },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string', format: 'uri' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'message'],
              properties: { field: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  },
};
