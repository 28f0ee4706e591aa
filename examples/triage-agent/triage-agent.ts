import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import {
  buildToolCatalog,
  OpenApiDocument,
  ToolDefinition,
  ToolResult,
  ToolRuntime,
  withConverterConventions,
} from '@observe/agent-tools';
import { verifySignature } from '@observe/subscriptions';

export interface TriageAgentOptions {
  /** The 24observe API, e.g. http://localhost:3000. */
  baseUrl: string;
  /** A scoped token with incidents:read/write, context:read and subscriptions:write. */
  token: string;
  agentId?: string;
  /** Where the webhook receiver listens; its URL must be reachable by the platform. */
  receiverHost?: string;
  receiverPort?: number;
  log?: (line: string) => void;
}

export interface TriageOutcome {
  incidentId: string;
  conversationId: string;
  cause: string | null;
  citedLinks: string[];
}

interface Analysis {
  status: string;
  probableCauses?: Array<{
    title: string;
    confidence: number;
    evidence: Array<{ description: string; link: { api: string } }>;
  }>;
}

interface Blast {
  impacted: Array<{ service: { id: string }; owners: Array<{ team?: { id: string } }> }>;
}

/**
 * An incident-responder agent with a scripted policy where a model would sit:
 * it is pushed `incident.opened` by webhook, then observes (the incident, the
 * analyst's verdict, the blast radius), reasons (the top probable cause), and
 * acts (an update citing the evidence, then an acknowledgement). Every call is
 * a tool call through the ToolRuntime, as a model's would be.
 */
export class TriageAgent {
  private server?: Server;
  private secret = '';
  private catalog: ToolDefinition[] = [];
  private readonly agentId: string;
  private readonly log: (line: string) => void;
  private readonly handled: TriageOutcome[] = [];
  private readonly waiters: Array<(outcome: TriageOutcome) => void> = [];

  constructor(private readonly options: TriageAgentOptions) {
    this.agentId = options.agentId ?? 'triage-agent';
    this.log = options.log ?? (() => undefined);
  }

  /** Starts the receiver, reads the tool catalog and subscribes to `incident.opened`. */
  async start(): Promise<{ receiverUrl: string; subscriptionId: string }> {
    const response = await fetch(`${this.options.baseUrl}/openapi.json`);
    const document = (await response.json()) as OpenApiDocument;
    this.catalog = buildToolCatalog(withConverterConventions(document));
    const receiverUrl = await this.listen();

    const subscribed = await this.call(`setup-${randomUUID()}`, 'create_subscription', {
      body: {
        url: receiverUrl,
        eventTypes: ['incident.opened'],
      },
    });
    const subscription = subscribed.body as { id: string; secret: string };
    this.secret = subscription.secret;
    this.log(`subscribed ${subscription.id} -> ${receiverUrl}`);
    return { receiverUrl, subscriptionId: subscription.id };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** Resolves with the next incident this agent finishes triaging. */
  nextOutcome(): Promise<TriageOutcome> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Observe, reason, act on one incident; the conversation id ties its actions together. */
  async triage(incidentId: string): Promise<TriageOutcome> {
    const conversationId = `triage-${incidentId}`;

    const incident = await this.call(conversationId, 'get_incident', { id: incidentId });
    const analysis = await this.waitForAnalysis(conversationId, incidentId);
    const blast = (await this.call(conversationId, 'get_incident_blast_radius', { id: incidentId }))
      .body as Blast;

    const top = analysis.probableCauses?.[0];
    const evidence = (top?.evidence ?? []).slice(0, 3);
    const links = evidence.map((item) => ({
      href: new URL(item.link.api, this.options.baseUrl).toString(),
      text: item.description.slice(0, 200),
    }));
    const impacted = blast.impacted.map((entry) => entry.service.id);
    const title = (incident.body as { title?: string }).title ?? incidentId;
    const message = top
      ? `Triage of "${title}": most likely ${top.title} (confidence ${top.confidence}). ` +
        `Impact: ${impacted.length > 0 ? impacted.join(', ') : 'no dependents'}. Evidence linked.`
      : `Triage of "${title}": no probable cause found yet. Impact: ${impacted.join(', ') || 'none'}.`;

    await this.call(conversationId, 'post_incident_update', {
      id: incidentId,
      body: { message, links },
    });
    await this.call(conversationId, 'acknowledge_incident', {
      id: incidentId,
      body: { note: 'acknowledged by the triage agent' },
    });
    this.log(`triaged ${incidentId}: ${top?.title ?? 'no cause'}`);

    const outcome = {
      incidentId,
      conversationId,
      cause: top?.title ?? null,
      citedLinks: links.map((link) => link.href),
    };
    this.handled.push(outcome);
    for (const wake of this.waiters.splice(0)) wake(outcome);
    return outcome;
  }

  private async waitForAnalysis(conversationId: string, incidentId: string): Promise<Analysis> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const analysis = (
        await this.call(conversationId, 'get_incident_analysis', { id: incidentId })
      ).body as Analysis;
      if (analysis.status !== 'pending') return analysis;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { status: 'pending' };
  }

  /** One tool call, in Anthropic's shape, through the runtime that adds the guardrail headers. */
  private async call(conversationId: string, name: string, input: Record<string, unknown>) {
    const runtime = new ToolRuntime({
      tools: this.catalog,
      baseUrl: this.options.baseUrl,
      token: this.options.token,
      agentId: this.agentId,
      conversationId,
    });
    const result: ToolResult = await runtime.execute({
      type: 'tool_use',
      id: `call_${randomUUID()}`,
      name,
      input,
    });
    if (!result.ok)
      throw new Error(`${name} answered ${result.status}: ${JSON.stringify(result.body)}`);
    return result;
  }

  private listen(): Promise<string> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const verdict = verifySignature({ headers: request.headers, body, secrets: [this.secret] });
        if (!verdict.valid) {
          response.writeHead(401).end();
          return;
        }
        response.writeHead(204).end();

        const event = JSON.parse(body.toString('utf8')) as {
          type: string;
          data: { incidentId?: string };
        };
        if (event.type === 'incident.opened' && event.data.incidentId) {
          void this.triage(event.data.incidentId).catch((error: unknown) =>
            this.log(`triage failed: ${(error as Error).message}`),
          );
        }
      });
    });

    const host = this.options.receiverHost ?? '127.0.0.1';
    return new Promise((resolve) => {
      this.server?.listen(this.options.receiverPort ?? 0, host, () => {
        const { port } = this.server?.address() as AddressInfo;
        resolve(`http://${host}:${port}/webhooks`);
      });
    });
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
