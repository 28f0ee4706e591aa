import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { FullTokenOnly, RequireScope } from '@observe/access';

import { UuidParamPipe } from '../../shared/uuid-param.pipe';
import { RuleCatalogQueries } from '../catalog/rule-catalog.queries';
import { DisableRuleHandler } from '../disable-rule/disable-rule.handler';
import { PublishRuleHandler } from '../publish-rule/publish-rule.handler';
import { ReviseRuleHandler } from '../revise-rule/revise-rule.handler';
import {
  DisableRuleRequest,
  ListRulesQuery,
  PublishRuleRequest,
  ReviseRuleRequest,
} from './rules.requests';
import {
  RuleDetailSchema,
  RuleListResponse,
  RuleMutationResponse,
  RuleVersionListResponse,
} from './rules.schemas';

const ruleId = new UuidParamPipe();

@ApiTags('siem')
@Controller('api/v1/siem/rules')
export class RulesController {
  constructor(
    private readonly catalog: RuleCatalogQueries,
    private readonly publishRule: PublishRuleHandler,
    private readonly reviseRule: ReviseRuleHandler,
    private readonly disableRule: DisableRuleHandler,
  ) {}

  @Get()
  @RequireScope('siem:read')
  @ApiOperation({
    operationId: 'listDetectionRules',
    summary: 'List detection rules, newest first',
    description:
      'The detection catalog: title, status, version, level and severity, ATT&CK tactics and ' +
      'techniques, author, and who published each rule (agent, conversation, token). Filter by ' +
      'status, severity, level, tactic or technique; page with limit and nextCursor.',
  })
  @ApiOkResponse({ type: RuleListResponse })
  list(@Query() query: ListRulesQuery) {
    return this.catalog.list({ ...query, limit: query.limit ?? 50 });
  }

  @Get(':id')
  @RequireScope('siem:read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'getDetectionRule',
    summary: 'Read a detection rule with every version',
    description: 'The current Sigma source, and each version with who published it and why.',
  })
  @ApiOkResponse({ type: RuleDetailSchema })
  get(@Param('id', ruleId) id: string) {
    return this.catalog.get(id);
  }

  @Get(':id/versions')
  @RequireScope('siem:read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'listDetectionRuleVersions',
    summary: "List a detection rule's versions, oldest first",
  })
  @ApiOkResponse({ type: RuleVersionListResponse })
  async versions(@Param('id', ruleId) id: string) {
    const detail = await this.catalog.get(id);
    return { data: detail.versions, nextCursor: null };
  }

  @Post()
  @RequireScope('siem:write')
  @ApiOperation({
    operationId: 'publishDetectionRule',
    summary: 'Publish a Sigma detection rule',
    description:
      'Parses and validates the Sigma rule (subset in docs/sigma-subset.md); an invalid rule is ' +
      'a 400 with the line, column and reason of each problem, and nothing is written. The ' +
      'rule keeps its Sigma id when it has one. Writes RulePublished; it is evaluated from now.',
  })
  @ApiCreatedResponse({ type: RuleMutationResponse, description: 'The rule (RulePublished)' })
  publish(@Body() body: PublishRuleRequest) {
    return this.publishRule.execute(body.source);
  }

  @Post(':id/versions')
  @FullTokenOnly('detection-change', 'siem:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'reviseDetectionRule',
    summary: 'Publish a new version of a detection rule (full tokens only)',
    description:
      'Rewriting a detection can blind it, so scoped (agent) tokens get 403 ' +
      'full-token-required even with siem:write. The same source again writes nothing. ' +
      'Writes RuleRevised; threshold counting restarts for the new version.',
  })
  @ApiCreatedResponse({ type: RuleMutationResponse, description: 'The rule (RuleRevised)' })
  revise(@Param('id', ruleId) id: string, @Body() body: ReviseRuleRequest) {
    return this.reviseRule.execute(id, body.source, body.note ?? null);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @FullTokenOnly('detection-change', 'siem:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'disableDetectionRule',
    summary: 'Disable a detection rule (full tokens only)',
    description:
      'The rule stops firing. Scoped (agent) tokens get 403 full-token-required even with ' +
      'siem:write. Disabling twice writes nothing. Writes RuleDisabled.',
  })
  @ApiOkResponse({ type: RuleMutationResponse, description: 'The rule (RuleDisabled)' })
  disable(@Param('id', ruleId) id: string, @Body() body: DisableRuleRequest) {
    return this.disableRule.execute(id, body.reason);
  }
}
