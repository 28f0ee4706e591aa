import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Length } from 'class-validator';

export class IncidentLinkRequest {
  @ApiProperty({ example: 'https://grafana.example.com/d/checkout' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @Length(1, 2000)
  href!: string;

  @ApiPropertyOptional({ example: 'Checkout dashboard' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  text?: string;
}

export function toLinks(links: IncidentLinkRequest[] | undefined) {
  return (links ?? []).map((link) => ({ href: link.href, text: link.text ?? null }));
}
