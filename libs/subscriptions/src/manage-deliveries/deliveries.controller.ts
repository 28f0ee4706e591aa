import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { UuidParamPipe } from '../query-subscriptions/uuid-param.pipe';
import { DeliveryCommands } from './delivery-commands';
import { DeliveryReader } from './delivery-reader';
import { ListDeliveriesQuery, RecoverDeliveriesRequest } from './delivery.requests';
import {
  DeliveryMutationResponse,
  DeliveryPageResponse,
  DeliverySchema,
  RecoveredDeliveriesResponse,
} from './delivery.responses';

@ApiTags('subscriptions')
@Controller('api/v1/subscriptions/:id')
export class DeliveriesController {
  constructor(
    private readonly commands: DeliveryCommands,
    private readonly reader: DeliveryReader,
  ) {}

  @Post('test')
  @HttpCode(202)
  @RequireScope('subscriptions:write')
  @ApiOperation({
    operationId: 'sendSubscriptionTestEvent',
    summary: 'Send a signed `webhook.test` event to the subscription',
    description:
      'Writes SubscriptionTestEventRequested and queues the delivery; follow it with ' +
      'getSubscriptionDelivery. It waits while the subscription is paused or disabled.',
  })
  @ApiOkResponse({ type: DeliveryMutationResponse })
  sendTest(@Param('id', UuidParamPipe) id: string) {
    return this.commands.sendTest(id);
  }

  @Get('deliveries')
  @RequireScope('subscriptions:read')
  @ApiOperation({
    operationId: 'listSubscriptionDeliveries',
    summary: 'List deliveries of a subscription, newest first, with their attempts',
  })
  @ApiOkResponse({ type: DeliveryPageResponse })
  list(@Param('id', UuidParamPipe) id: string, @Query() query: ListDeliveriesQuery) {
    return this.reader.list(id, query);
  }

  @Get('deliveries/:deliveryId')
  @RequireScope('subscriptions:read')
  @ApiOperation({
    operationId: 'getSubscriptionDelivery',
    summary: 'Get one delivery with its attempts',
  })
  @ApiOkResponse({ type: DeliverySchema })
  get(
    @Param('id', UuidParamPipe) id: string,
    @Param('deliveryId', UuidParamPipe) deliveryId: string,
  ) {
    return this.reader.get(id, deliveryId);
  }

  @Post('deliveries/:deliveryId/resend')
  @HttpCode(202)
  @RequireScope('subscriptions:write')
  @ApiOperation({
    operationId: 'resendSubscriptionDelivery',
    summary: 'Send one delivery again, with the same webhook-id and a fresh retry schedule',
    description: 'Writes SubscriptionDeliveryResent.',
  })
  @ApiOkResponse({ type: DeliveryMutationResponse })
  resend(
    @Param('id', UuidParamPipe) id: string,
    @Param('deliveryId', UuidParamPipe) deliveryId: string,
  ) {
    return this.commands.resend(id, deliveryId);
  }

  @Post('deliveries/recover')
  @HttpCode(202)
  @RequireScope('subscriptions:write')
  @ApiOperation({
    operationId: 'recoverSubscriptionDeliveries',
    summary: 'Schedule again every dead-lettered delivery created since a time',
    description: 'Writes SubscriptionDeliveriesRecovered with the number recovered.',
  })
  @ApiOkResponse({ type: RecoveredDeliveriesResponse })
  recover(@Param('id', UuidParamPipe) id: string, @Body() body: RecoverDeliveriesRequest) {
    return this.commands.recover(id, new Date(body.since));
  }
}
