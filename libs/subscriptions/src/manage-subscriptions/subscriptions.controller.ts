import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthenticatedRequest, FullTokenOnly, isScoped, RequireScope } from '@observe/access';
import { IntegrationEventRegistry, TEST_EVENT_TYPE } from '@observe/relay';

import { ListQuery } from '../query-subscriptions/list-page';
import { SubscriptionReader } from '../query-subscriptions/subscription-reader';
import { forScopedToken, SubscriptionView } from '../query-subscriptions/subscription-view';
import { UuidParamPipe } from '../query-subscriptions/uuid-param.pipe';
import { DEFAULT_SECRET_OVERLAP_HOURS, SubscriptionCommands } from './subscription-commands';
import {
  CreateSubscriptionRequest,
  PauseSubscriptionRequest,
  RotateSecretRequest,
} from './subscription.requests';
import {
  EventTypesResponse,
  SubscriptionDeletedResponse,
  SubscriptionMutationResponse,
  SubscriptionPageResponse,
  SubscriptionSchema,
  SubscriptionSecretsResponse,
  SubscriptionWithSecretResponse,
} from './subscription.responses';

@ApiTags('subscriptions')
@Controller('api/v1/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly commands: SubscriptionCommands,
    private readonly reader: SubscriptionReader,
    private readonly registry: IntegrationEventRegistry,
  ) {}

  @Get('event-types')
  @RequireScope('subscriptions:read')
  @ApiOperation({
    operationId: 'listWebhookEventTypes',
    summary: 'List the event types a subscription can take',
  })
  @ApiOkResponse({ type: EventTypesResponse })
  eventTypes() {
    return { data: this.registry.types(), testEventType: TEST_EVENT_TYPE };
  }

  @Post()
  @RequireScope('subscriptions:write')
  @ApiOperation({
    operationId: 'createSubscription',
    summary: 'Subscribe a URL to webhooks',
    description:
      'Writes SubscriptionCreated. The answer carries the signing secret (`whsec_…`) once: ' +
      'webhooks follow Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). ' +
      'A URL that resolves to a loopback, private, link-local or metadata address is refused.',
  })
  @ApiCreatedResponse({ type: SubscriptionWithSecretResponse })
  create(@Body() body: CreateSubscriptionRequest) {
    return this.commands.create(body);
  }

  @Get()
  @RequireScope('subscriptions:read')
  @ApiOperation({
    operationId: 'listSubscriptions',
    summary: 'List webhook subscriptions (URLs redacted for scoped tokens)',
  })
  @ApiOkResponse({ type: SubscriptionPageResponse })
  async list(@Query() query: ListQuery, @Req() request: AuthenticatedRequest) {
    const page = await this.reader.list(query);
    return { ...page, data: page.data.map((view) => this.shown(view, request)) };
  }

  @Get(':id')
  @RequireScope('subscriptions:read')
  @ApiOperation({
    operationId: 'getSubscription',
    summary: 'Get a webhook subscription (URL redacted for scoped tokens)',
  })
  @ApiOkResponse({ type: SubscriptionSchema })
  async get(@Param('id', UuidParamPipe) id: string, @Req() request: AuthenticatedRequest) {
    return this.shown(await this.reader.get(id), request);
  }

  @Get(':id/secret')
  @FullTokenOnly('read-secrets', 'subscriptions:read')
  @ApiOperation({
    operationId: 'getSubscriptionSecret',
    summary: "Read a subscription's signing secrets (full tokens only)",
  })
  @ApiOkResponse({ type: SubscriptionSecretsResponse })
  secret(@Param('id', UuidParamPipe) id: string) {
    return this.reader.secretsOf(id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @FullTokenOnly('read-secrets', 'subscriptions:write')
  @ApiOperation({
    operationId: 'rotateSubscriptionSecret',
    summary: 'Rotate the signing secret (full tokens only)',
    description:
      'Writes SubscriptionSecretRotated. The answer carries the new secret once; the previous ' +
      `one keeps signing beside it for overlapHours (default ${DEFAULT_SECRET_OVERLAP_HOURS}), ` +
      'so webhook-signature holds both until then.',
  })
  @ApiOkResponse({ type: SubscriptionWithSecretResponse })
  rotateSecret(@Param('id', UuidParamPipe) id: string, @Body() body: RotateSecretRequest) {
    return this.commands.rotateSecret(id, body.overlapHours ?? DEFAULT_SECRET_OVERLAP_HOURS);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @RequireScope('subscriptions:write')
  @ApiOperation({
    operationId: 'pauseSubscription',
    summary: 'Pause deliveries; they wait until the subscription is resumed',
    description: 'Writes SubscriptionPaused. Pausing a paused subscription writes nothing.',
  })
  @ApiOkResponse({ type: SubscriptionMutationResponse })
  async pause(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: PauseSubscriptionRequest,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.shown(await this.commands.pause(id, body.reason ?? null), request);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequireScope('subscriptions:write')
  @ApiOperation({
    operationId: 'resumeSubscription',
    summary: 'Resume a paused or disabled subscription; waiting deliveries go out at once',
    description: 'Writes SubscriptionResumed. Resuming an active subscription writes nothing.',
  })
  @ApiOkResponse({ type: SubscriptionMutationResponse })
  async resume(@Param('id', UuidParamPipe) id: string, @Req() request: AuthenticatedRequest) {
    return this.shown(await this.commands.resume(id), request);
  }

  @Delete(':id')
  @FullTokenOnly('delete', 'subscriptions:write')
  @ApiOperation({
    operationId: 'deleteSubscription',
    summary: 'Delete a subscription (full tokens only); waiting deliveries are cancelled',
  })
  @ApiOkResponse({ type: SubscriptionDeletedResponse })
  delete(@Param('id', UuidParamPipe) id: string) {
    return this.commands.delete(id);
  }

  private shown(view: SubscriptionView, request: AuthenticatedRequest): SubscriptionView {
    const principal = request.principal;
    return principal && !isScoped(principal) ? view : forScopedToken(view);
  }
}
